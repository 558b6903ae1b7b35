# Cloud Storage triggers reach Eventarc through Pub/Sub: the project's Cloud Storage service agent
# must be allowed to publish, or the generateVariants trigger cannot be created.
data "google_storage_project_service_account" "gcs_agent" {}

resource "google_project_iam_member" "gcs_agent_publishes_events" {
  project = var.project_id
  role    = "roles/pubsub.publisher"
  member  = "serviceAccount:${data.google_storage_project_service_account.gcs_agent.email_address}"
}
