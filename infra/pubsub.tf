resource "google_pubsub_topic" "album_art_jobs" {
  name   = var.album_art_topic_name
  labels = local.labels
}

resource "google_pubsub_topic" "album_art_dead_letter" {
  name   = var.album_art_dead_letter_topic_name
  labels = local.labels
}

# A topic without a subscription drops what is published to it: the dead-letter topic keeps its
# messages here for an operator (see README, "Dead letters").
resource "google_pubsub_subscription" "album_art_dead_letter" {
  name                       = "${var.album_art_dead_letter_topic_name}-hold"
  topic                      = google_pubsub_topic.album_art_dead_letter.id
  message_retention_duration = "604800s"
  ack_deadline_seconds       = 60
  expiration_policy {
    ttl = ""
  }
  labels = local.labels
}

# The Pub/Sub service agent forwards undeliverable messages: it publishes to the dead-letter topic
# and acknowledges on the source subscription (created by the function's Eventarc trigger).
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  topic  = google_pubsub_topic.album_art_dead_letter.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_project_iam_member" "pubsub_agent_subscriber" {
  project = var.project_id
  role    = "roles/pubsub.subscriber"
  member  = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

# Push deliveries to 2nd gen functions carry an OIDC token minted by the Pub/Sub service agent.
resource "google_project_iam_member" "pubsub_agent_token_creator" {
  project = var.project_id
  role    = "roles/iam.serviceAccountTokenCreator"
  member  = "serviceAccount:service-${local.project_number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}
