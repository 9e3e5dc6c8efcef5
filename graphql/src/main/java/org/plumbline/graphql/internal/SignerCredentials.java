package org.plumbline.graphql.internal;

import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.Node;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.plumbline.governance.Caller;
import org.plumbline.graphql.ApiError;
import org.plumbline.graphql.SignerVerifier;
import org.plumbline.ontology.PlumblineException;

/**
 * The credentials signers enter again with a signature: checked before a mutation runs. The
 * commands the mutations issue do not carry them, so no credential reaches the journal.
 */
public final class SignerCredentials {
  /** The mutations that sign: each takes a {@code credential} argument. */
  public static final Set<String> SIGNING_FIELDS =
      Set.of(
          "approveDisposition",
          "rejectDisposition",
          "approveBlueprint",
          "rejectBlueprint",
          "approveGateOverride",
          "rejectGateOverride");

  private static final String ARGUMENT = "credential";

  private SignerCredentials() {}

  /**
   * The refusal of the first signing field whose credential does not authenticate as the caller, or
   * null when every one does (or none is required).
   */
  public static PlumblineException refusal(
      Document doc,
      Map<String, Object> variables,
      Caller caller,
      SignerVerifier verifier,
      boolean credentialOnRequest) {
    // A caller who may not sign at all is answered FORBIDDEN by the mutation itself: the role
    // check comes first, so a refusal never tells a viewer anything about credentials.
    if (doc == null
        || !verifier.required()
        || caller == null
        || !caller.hasAny("approver", "model-risk")) {
      return null;
    }
    for (Field f : signingFields(doc)) {
      Object credential = credential(f, variables);
      String name = f.getName();
      if (!(credential instanceof String c) || c.isBlank()) {
        if (credentialOnRequest) {
          continue; // the signer's own bearer credential came with this very request
        }
        return new PlumblineException(
            ApiError.REAUTHENTICATION_FAILED,
            name + " needs the signer's credential entered again (argument 'credential')");
      }
      Optional<String> user = verifier.userOf(c.strip());
      if (user.isEmpty() || caller == null || !user.get().equals(caller.user())) {
        return new PlumblineException(
            ApiError.REAUTHENTICATION_FAILED,
            name
                + ": the credential entered to sign does not authenticate as "
                + (caller == null ? "the caller" : caller.user()));
      }
    }
    return null;
  }

  private static Object credential(Field f, Map<String, Object> variables) {
    for (Argument a : f.getArguments()) {
      if (a.getName().equals(ARGUMENT)) {
        Value<?> v = a.getValue();
        if (v instanceof StringValue s) {
          return s.getValue();
        }
        if (v instanceof VariableReference ref && variables != null) {
          return variables.get(ref.getName());
        }
      }
    }
    return null;
  }

  /** Whether the request holds a signing field anywhere. */
  public static boolean signs(Document doc) {
    return doc != null && !signingFieldsAnywhere(doc).isEmpty();
  }

  /** Signing fields at any depth of any operation or fragment (aliases keep the field's name). */
  private static List<Field> signingFields(Document doc) {
    return signingFieldsAnywhere(doc);
  }

  private static List<Field> signingFieldsAnywhere(Document doc) {
    List<Field> out = new ArrayList<>();
    collect(doc, out);
    return out;
  }

  private static void collect(Node<?> node, List<Field> out) {
    if (node instanceof Field f && SIGNING_FIELDS.contains(f.getName())) {
      out.add(f);
    }
    for (Node<?> child : node.getChildren()) {
      collect(child, out);
    }
  }
}
