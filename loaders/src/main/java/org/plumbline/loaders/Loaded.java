package org.plumbline.loaders;

import java.util.List;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.Snapshot;

/**
 * What one file turned into: a blueprint, snapshots, change requests or prompt versions, with notes
 * a person should see (what was skipped or redacted, creation dates, values that moved within the
 * file). Notes are short sentences, never the file's content.
 */
public sealed interface Loaded {
  Format format();

  List<String> notes();

  /** A blueprint. */
  record BlueprintLoaded(Format format, Blueprint blueprint, List<String> notes) implements Loaded {
    public BlueprintLoaded {
      notes = List.copyOf(notes);
    }
  }

  /** Snapshots, one per environment the file describes; may be empty (nothing observed). */
  record SnapshotsLoaded(Format format, List<Snapshot> snapshots, List<String> notes)
      implements Loaded {
    public SnapshotsLoaded {
      snapshots = List.copyOf(snapshots);
      notes = List.copyOf(notes);
    }
  }

  /** Change requests; those the source had not approved are left out and noted. */
  record ChangeRequestsLoaded(Format format, List<ChangeRequest> requests, List<String> notes)
      implements Loaded {
    public ChangeRequestsLoaded {
      requests = List.copyOf(requests);
      notes = List.copyOf(notes);
    }
  }

  /** Prompt versions, as documents for {@code POST /api/v1/prompts}. */
  record PromptsLoaded(Format format, List<PromptVersionDocument> versions, List<String> notes)
      implements Loaded {
    public PromptsLoaded {
      versions = List.copyOf(versions);
      notes = List.copyOf(notes);
    }
  }

  /** One behavioural metric sample, as the document for {@code POST /api/v1/metrics}. */
  record MetricSampleLoaded(Format format, ParsedMetricSample sample, List<String> notes)
      implements Loaded {
    public MetricSampleLoaded {
      notes = List.copyOf(notes);
    }
  }
}
