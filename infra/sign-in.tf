# Sign-in for the web frontend: the API checks passwords through Firebase Authentication's REST API
# with the project's web API key, and sets the `roles` custom claim with firebase-admin.

# The web API key (Firebase console, Project settings). Not a password, but kept out of the build
# configuration so each environment's key is set once, by an operator: docs/deployment.md.
resource "google_secret_manager_secret" "firebase_web_api_key" {
  secret_id = "firebase-web-api-key"
  replication {
    auto {}
  }
  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_iam_member" "api_reads_firebase_web_api_key" {
  secret_id = google_secret_manager_secret.firebase_web_api_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.api.email}"
}

# Registration sets roles as custom claims, admins change them, and verification checks revocation.
resource "google_project_iam_member" "api_manages_firebase_auth_users" {
  project = var.project_id
  role    = "roles/firebaseauth.admin"
  member  = "serviceAccount:${google_service_account.api.email}"
}
