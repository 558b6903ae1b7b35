# The daily sweep of deleted assets past their retention (docs/data-safety.md): purges their files,
# the album art no other asset uses, then the record. Each new API instance also sweeps at start.
resource "google_cloud_scheduler_job" "purge_deleted_assets" {
  count       = var.api_url == "" ? 0 : 1
  name        = "nna-purge-deleted-assets"
  description = "POST /api/assets/deleted/purge-expired"
  schedule    = var.deleted_assets_sweep_schedule
  time_zone   = "Etc/UTC"
  region      = var.region

  retry_config {
    retry_count = 3
  }

  http_target {
    http_method = "POST"
    uri         = "${var.api_url}/api/assets/deleted/purge-expired?limit=500"
    oidc_token {
      service_account_email = google_service_account.deleted_assets_sweeper.email
      audience              = var.api_url
    }
  }

  depends_on = [google_project_service.required]
}
