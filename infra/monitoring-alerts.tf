# Alerts on the log-based metrics of monitoring-metrics.tf and on the dead-letter subscription.

resource "google_monitoring_notification_channel" "email" {
  display_name = "NNA Registry ${var.environment} on-call"
  type         = "email"
  labels = {
    email_address = var.alert_email
  }
}

locals {
  user_metric    = "logging.googleapis.com/user"
  alert_channels = [google_monitoring_notification_channel.email.id]
}

resource "google_monitoring_alert_policy" "album_art_failures" {
  display_name = "Album art: failures (${var.environment})"
  combiner     = "OR"
  conditions {
    display_name = "more than 10 album-art jobs failed in 10 minutes"
    condition_threshold {
      filter          = "metric.type=\"${local.user_metric}/album_art_jobs\" AND metric.label.outcome=\"failed\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 10
      duration        = "0s"
      aggregations {
        alignment_period     = "600s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  notification_channels = local.alert_channels
  documentation {
    content = "Album-art jobs are failing. Look at failure codes on GET /api/admin/stats and at logs with labels.function=processAlbumArt."
  }
}

resource "google_monitoring_alert_policy" "variant_failures" {
  display_name = "Variants: failures (${var.environment})"
  combiner     = "OR"
  conditions {
    display_name = "more than 5 variant jobs failed in 10 minutes"
    condition_threshold {
      filter          = "metric.type=\"${local.user_metric}/variant_jobs\" AND metric.label.outcome=\"failed\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 5
      duration        = "0s"
      aggregations {
        alignment_period     = "600s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  notification_channels = local.alert_channels
}

resource "google_monitoring_alert_policy" "dead_letters" {
  display_name = "Album art: dead-lettered jobs waiting (${var.environment})"
  combiner     = "OR"
  conditions {
    display_name = "dead-letter subscription holds messages"
    condition_threshold {
      filter          = "metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\" AND resource.type=\"pubsub_subscription\" AND resource.label.subscription_id=\"${google_pubsub_subscription.album_art_dead_letter.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }
  notification_channels = local.alert_channels
  documentation {
    content = "Jobs exhausted their delivery attempts. Inspect them with `gcloud pubsub subscriptions pull ${google_pubsub_subscription.album_art_dead_letter.name} --limit=10` and republish with npm run backfill:album-art once the cause is fixed."
  }
}

resource "google_monitoring_alert_policy" "api_server_errors" {
  display_name = "API: server errors (${var.environment})"
  combiner     = "OR"
  conditions {
    display_name = "more than 5 responses with 5xx in 5 minutes"
    condition_threshold {
      filter          = "metric.type=\"${local.user_metric}/api_requests\" AND metric.label.status=starts_with(\"5\") AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 5
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }
  notification_channels = local.alert_channels
}

resource "google_monitoring_alert_policy" "api_latency" {
  display_name = "API: p99 latency above 2 s (${var.environment})"
  combiner     = "OR"
  conditions {
    display_name = "p99 of api_latency_ms over 2000 for 10 minutes"
    condition_threshold {
      filter          = "metric.type=\"${local.user_metric}/api_latency_ms\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = 2000
      duration        = "600s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_PERCENTILE_99"
      }
    }
  }
  notification_channels = local.alert_channels
}

resource "google_monitoring_alert_policy" "sequence_nearly_full" {
  display_name = "Naming: a taxonomy path is 90% full (${var.environment})"
  combiner     = "OR"
  conditions {
    display_name = "a create drew sequence number ${local.sequence_nearly_full} or more (of 999) in a path"
    condition_threshold {
      # Half a number below the threshold: a value just under it interpolated in its bucket stays below.
      filter          = "metric.type=\"${local.user_metric}/sequence_fill\" AND resource.type=\"cloud_run_revision\""
      comparison      = "COMPARISON_GT"
      threshold_value = local.sequence_nearly_full - 0.5
      duration        = "0s"
      aggregations {
        alignment_period   = "3600s"
        per_series_aligner = "ALIGN_PERCENTILE_99"
      }
    }
  }
  notification_channels = local.alert_channels
  documentation {
    content = "A taxonomy path (metric.label.path) has given out 900 of its 999 sequence numbers; at 999 creates there answer 409 SEQUENCE_EXHAUSTED. GET /api/admin/stats (sequences) and the status page list the fullest paths. Plan a new subcategory for that content."
  }
}
