# One runtime service account per function, each with only what its code does.

resource "google_service_account" "api" {
  account_id   = "nna-api"
  display_name = "NNA Registry API function"
}

resource "google_service_account" "album_art" {
  account_id   = "nna-album-art"
  display_name = "NNA Registry album-art processor"
}

resource "google_service_account" "variants" {
  account_id   = "nna-variants"
  display_name = "NNA Registry variant generator"
}

# Identity that Pub/Sub push and Eventarc use to invoke the event functions.
resource "google_service_account" "invoker" {
  account_id   = "nna-event-invoker"
  display_name = "Invokes the NNA event functions (Eventarc, Pub/Sub push)"
}

# --- API ---
# Reads and writes assets, sequence counters, the album-art outbox, flags and metrics.
resource "google_project_iam_member" "api_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.api.email}"
}

# Stages, moves and deletes asset files; nothing in the album-art bucket.
resource "google_storage_bucket_iam_member" "api_assets_objects" {
  bucket = google_storage_bucket.assets.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.api.email}"
}

# Publishes album-art jobs (from the outbox); may not subscribe or administer topics.
resource "google_pubsub_topic_iam_member" "api_publishes_jobs" {
  topic  = google_pubsub_topic.album_art_jobs.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_service_account.api.email}"
}

# Reads object metadata of the album-art bucket for the admin storage figures.
resource "google_storage_bucket_iam_member" "api_album_art_reader" {
  bucket = google_storage_bucket.album_art.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.api.email}"
}

# Purging a deleted asset removes its album art when no other asset uses it (docs/data-safety.md).
resource "google_storage_bucket_iam_member" "api_album_art_purge" {
  bucket = google_storage_bucket.album_art.name
  role   = "roles/storage.objectUser"
  member = "serviceAccount:${google_service_account.api.email}"
}

# Calls the sweep of deleted assets (Cloud Scheduler, OIDC); the API grants its e-mail the admin role
# through SERVICE_ACCOUNT_ROLES (cloudbuild.yaml's _SERVICE_ACCOUNT_ROLES).
resource "google_service_account" "deleted_assets_sweeper" {
  account_id   = "nna-deleted-sweeper"
  display_name = "Purges deleted NNA assets past their retention (Cloud Scheduler)"
}

# --- processAlbumArt ---
# Updates album-art status on assets and the per-host rate-limit documents.
resource "google_project_iam_member" "album_art_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.album_art.email}"
}

# Creates originals; objectCreator cannot overwrite or delete, which backs the create-only rule.
# Reads an original's metadata and a variant set's manifest: an image already stored is reused
# (content addressing), with no new download-to-ready work.
resource "google_storage_bucket_iam_member" "album_art_reads_objects" {
  bucket = google_storage_bucket.album_art.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.album_art.email}"
}

resource "google_storage_bucket_iam_member" "album_art_creates_objects" {
  bucket = google_storage_bucket.album_art.name
  role   = "roles/storage.objectCreator"
  member = "serviceAccount:${google_service_account.album_art.email}"
}

# --- generateVariants ---
resource "google_project_iam_member" "variants_firestore" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = "serviceAccount:${google_service_account.variants.email}"
}

# Reads originals and creates variants (create-only, as above).
resource "google_storage_bucket_iam_member" "variants_reads_objects" {
  bucket = google_storage_bucket.album_art.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.variants.email}"
}

resource "google_storage_bucket_iam_member" "variants_creates_objects" {
  bucket = google_storage_bucket.album_art.name
  role   = "roles/storage.objectCreator"
  member = "serviceAccount:${google_service_account.variants.email}"
}

# --- Logging: every runtime account writes its structured logs (and so its log-based metrics). ---
resource "google_project_iam_member" "log_writers" {
  for_each = {
    api       = google_service_account.api.email
    album_art = google_service_account.album_art.email
    variants  = google_service_account.variants.email
  }
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${each.value}"
}

# --- Event delivery ---
# Eventarc triggers need their service account to receive events; invoking the function's Cloud
# Run service is granted on the services by the deploy (they do not exist before the first deploy).
resource "google_project_iam_member" "invoker_event_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = "serviceAccount:${google_service_account.invoker.email}"
}

resource "google_project_iam_member" "invoker_run_invoker" {
  project = var.project_id
  role    = "roles/run.invoker"
  member  = "serviceAccount:${google_service_account.invoker.email}"
}

# --- Deployer (Cloud Build) ---
# Deploys functions, moves Cloud Run traffic between revisions, sets dead-letter policies on the
# trigger subscription, runs functions as the runtime accounts above, and reads the sweep job's
# token audience to check the API's AUTH_AUDIENCE against it before deploying.
resource "google_project_iam_member" "deployer_roles" {
  for_each = toset([
    "roles/cloudfunctions.developer",
    "roles/run.admin",
    "roles/eventarc.admin",
    "roles/pubsub.editor",
    "roles/artifactregistry.writer",
    "roles/cloudscheduler.viewer",
  ])
  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${local.deployer}"
}

resource "google_service_account_iam_member" "deployer_acts_as" {
  for_each = {
    api       = google_service_account.api.name
    album_art = google_service_account.album_art.name
    variants  = google_service_account.variants.name
    invoker   = google_service_account.invoker.name
  }
  service_account_id = each.value
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${local.deployer}"
}

# The readiness probe lists one topic to see that Pub/Sub answers.
resource "google_project_iam_member" "api_pubsub_viewer" {
  project = var.project_id
  role    = "roles/pubsub.viewer"
  member  = "serviceAccount:${google_service_account.api.email}"
}
