# Log-based metrics of the monitoring points. Every recording through the Metrics port
# (functions/domain/ports/metrics.ts) is a structured log entry:
#   { "metric": "<name>", "kind": "counter" | "distribution", "value": <number>, "metricLabels": { ... } }
# The metric names here are the port's MetricName union, one resource each; keep them identical.
#
# Counters whose increment is always 1 count entries (DELTA INT64). migration_documents and
# storage_bytes record larger increments in `value`, so they are distributions of that value: their
# total is the distribution's sum (mean x count). Latency distributions use the same explicit bucket
# bounds as the Firestore aggregates (functions/operations/metrics/histogram.ts). sequence_fill records
# the number each create (or move) drew in its taxonomy path: its highest value per path is how
# full that path is.

locals {
  latency_bucket_bounds_ms = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 60000, 120000, 300000]
  # A taxonomy path has 999 sequence numbers; from 900 on it is 90% full (NEARLY_FULL_SEQUENCE in
  # functions/operations/adapters/sequence-fill.ts, and the status page).
  sequence_nearly_full   = 900
  sequence_bucket_bounds = [100, 200, 300, 400, 500, 600, 700, 800, 900, 950, 990, 999]
}

resource "google_logging_metric" "album_art_jobs" {
  name        = "album_art_jobs"
  description = "Album-art jobs by outcome (stored, failed, retried, skipped) and failure code"
  filter      = "jsonPayload.metric=\"album_art_jobs\" AND jsonPayload.kind=\"counter\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key        = "outcome"
      value_type = "STRING"
    }
    labels {
      key        = "code"
      value_type = "STRING"
    }
  }
  label_extractors = {
    outcome = "EXTRACT(jsonPayload.metricLabels.outcome)"
    code    = "EXTRACT(jsonPayload.metricLabels.code)"
  }
}

resource "google_logging_metric" "variant_jobs" {
  name        = "variant_jobs"
  description = "Variant jobs by outcome (ready, failed, retried, skipped) and failure code"
  filter      = "jsonPayload.metric=\"variant_jobs\" AND jsonPayload.kind=\"counter\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key        = "outcome"
      value_type = "STRING"
    }
    labels {
      key        = "code"
      value_type = "STRING"
    }
  }
  label_extractors = {
    outcome = "EXTRACT(jsonPayload.metricLabels.outcome)"
    code    = "EXTRACT(jsonPayload.metricLabels.code)"
  }
}

resource "google_logging_metric" "api_requests" {
  name        = "api_requests"
  description = "API requests by route pattern and HTTP status"
  filter      = "jsonPayload.metric=\"api_requests\" AND jsonPayload.kind=\"counter\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key        = "route"
      value_type = "STRING"
    }
    labels {
      key        = "status"
      value_type = "STRING"
    }
  }
  label_extractors = {
    route  = "EXTRACT(jsonPayload.metricLabels.route)"
    status = "EXTRACT(jsonPayload.metricLabels.status)"
  }
}

resource "google_logging_metric" "validation_errors" {
  name        = "validation_errors"
  description = "API requests refused as invalid (400 VALIDATION_FAILED), by route pattern"
  filter      = "jsonPayload.metric=\"validation_errors\" AND jsonPayload.kind=\"counter\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key        = "route"
      value_type = "STRING"
    }
  }
  label_extractors = {
    route = "EXTRACT(jsonPayload.metricLabels.route)"
  }
}

resource "google_logging_metric" "album_art_processing_ms" {
  name            = "album_art_processing_ms"
  description     = "Album-art job processing time in milliseconds"
  filter          = "jsonPayload.metric=\"album_art_processing_ms\" AND jsonPayload.kind=\"distribution\""
  value_extractor = "EXTRACT(jsonPayload.value)"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"
  }
  bucket_options {
    explicit_buckets {
      bounds = local.latency_bucket_bounds_ms
    }
  }
}

resource "google_logging_metric" "variant_processing_ms" {
  name            = "variant_processing_ms"
  description     = "Variant job processing time in milliseconds"
  filter          = "jsonPayload.metric=\"variant_processing_ms\" AND jsonPayload.kind=\"distribution\""
  value_extractor = "EXTRACT(jsonPayload.value)"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"
  }
  bucket_options {
    explicit_buckets {
      bounds = local.latency_bucket_bounds_ms
    }
  }
}

resource "google_logging_metric" "api_latency_ms" {
  name            = "api_latency_ms"
  description     = "API latency in milliseconds by route pattern"
  filter          = "jsonPayload.metric=\"api_latency_ms\" AND jsonPayload.kind=\"distribution\""
  value_extractor = "EXTRACT(jsonPayload.value)"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "ms"
    labels {
      key        = "route"
      value_type = "STRING"
    }
  }
  label_extractors = {
    route = "EXTRACT(jsonPayload.metricLabels.route)"
  }
  bucket_options {
    explicit_buckets {
      bounds = local.latency_bucket_bounds_ms
    }
  }
}

resource "google_logging_metric" "migration_documents" {
  name            = "migration_documents"
  description     = "Documents handled by a migration, by migration and outcome (value = documents in the entry)"
  filter          = "jsonPayload.metric=\"migration_documents\" AND jsonPayload.kind=\"counter\""
  value_extractor = "EXTRACT(jsonPayload.value)"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "1"
    labels {
      key        = "migration"
      value_type = "STRING"
    }
    labels {
      key        = "outcome"
      value_type = "STRING"
    }
  }
  label_extractors = {
    migration = "EXTRACT(jsonPayload.metricLabels.migration)"
    outcome   = "EXTRACT(jsonPayload.metricLabels.outcome)"
  }
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 32
      growth_factor      = 4
      scale              = 1
    }
  }
}

resource "google_logging_metric" "storage_bytes" {
  name            = "storage_bytes"
  description     = "Bytes written (positive values) and deleted (negative values) per bucket; the net total is the distribution sum"
  filter          = "jsonPayload.metric=\"storage_bytes\" AND jsonPayload.kind=\"counter\""
  value_extractor = "EXTRACT(jsonPayload.value)"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "By"
    labels {
      key        = "bucket"
      value_type = "STRING"
    }
  }
  label_extractors = {
    bucket = "EXTRACT(jsonPayload.metricLabels.bucket)"
  }
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 32
      growth_factor      = 4
      scale              = 1
    }
  }
}

resource "google_logging_metric" "sequence_fill" {
  name            = "sequence_fill"
  description     = "The sequence number each create or move drew in its taxonomy path (L.CAT.SUB), of the 999 a path has: how full the path is"
  filter          = "jsonPayload.metric=\"sequence_fill\" AND jsonPayload.kind=\"distribution\""
  value_extractor = "EXTRACT(jsonPayload.value)"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "1"
    labels {
      key        = "path"
      value_type = "STRING"
    }
  }
  label_extractors = {
    path = "EXTRACT(jsonPayload.metricLabels.path)"
  }
  bucket_options {
    explicit_buckets {
      bounds = local.sequence_bucket_bounds
    }
  }
}
