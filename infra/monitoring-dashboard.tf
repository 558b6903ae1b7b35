# One dashboard for the on-call: album-art outcomes and processing time, variants, API traffic,
# latency and errors, migration progress, how full the taxonomy paths being numbered are.

locals {
  dashboard_charts = [
    { title = "Album-art jobs by outcome", metric = "album_art_jobs", aligner = "ALIGN_RATE", group_by = ["metric.label.outcome"], reducer = "REDUCE_SUM" },
    { title = "Album-art processing time p50/p95 (ms)", metric = "album_art_processing_ms", aligner = "ALIGN_DELTA", group_by = [], reducer = "REDUCE_PERCENTILE_95" },
    { title = "Variant jobs by outcome", metric = "variant_jobs", aligner = "ALIGN_RATE", group_by = ["metric.label.outcome"], reducer = "REDUCE_SUM" },
    { title = "Variant processing time p95 (ms)", metric = "variant_processing_ms", aligner = "ALIGN_DELTA", group_by = [], reducer = "REDUCE_PERCENTILE_95" },
    { title = "API requests by status", metric = "api_requests", aligner = "ALIGN_RATE", group_by = ["metric.label.status"], reducer = "REDUCE_SUM" },
    { title = "API latency p99 by route (ms)", metric = "api_latency_ms", aligner = "ALIGN_DELTA", group_by = ["metric.label.route"], reducer = "REDUCE_PERCENTILE_99" },
    { title = "Validation errors by route", metric = "validation_errors", aligner = "ALIGN_RATE", group_by = ["metric.label.route"], reducer = "REDUCE_SUM" },
    { title = "Migration documents by outcome", metric = "migration_documents", aligner = "ALIGN_RATE", group_by = ["metric.label.migration", "metric.label.outcome"], reducer = "REDUCE_SUM" },
    { title = "Bytes stored by bucket", metric = "storage_bytes", aligner = "ALIGN_RATE", group_by = ["metric.label.bucket"], reducer = "REDUCE_SUM" },
    { title = "Sequence numbers drawn by taxonomy path, p99 (of 999)", metric = "sequence_fill", aligner = "ALIGN_DELTA", group_by = ["metric.label.path"], reducer = "REDUCE_PERCENTILE_99" },
  ]
}

resource "google_monitoring_dashboard" "operations" {
  dashboard_json = jsonencode({
    displayName = "NNA Registry (${var.environment})"
    gridLayout = {
      columns = 3
      widgets = [
        for chart in local.dashboard_charts : {
          title = chart.title
          xyChart = {
            dataSets = [{
              plotType = "LINE"
              timeSeriesQuery = {
                timeSeriesFilter = {
                  filter = "metric.type=\"logging.googleapis.com/user/${chart.metric}\" resource.type=\"cloud_run_revision\""
                  aggregation = {
                    alignmentPeriod    = "60s"
                    perSeriesAligner   = chart.aligner
                    crossSeriesReducer = chart.reducer
                    groupByFields      = chart.group_by
                  }
                }
              }
            }]
          }
        }
      ]
    }
  })
}
