provider "google" {
  project = var.project_id
  region  = var.region
}

data "google_project" "current" {}

locals {
  labels = {
    app         = "nna-registry"
    environment = var.environment
  }
  project_number = data.google_project.current.number
  deployer       = var.deployer_service_account != "" ? var.deployer_service_account : "${local.project_number}@cloudbuild.gserviceaccount.com"
}

resource "google_project_service" "required" {
  for_each = toset([
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "eventarc.googleapis.com",
    "pubsub.googleapis.com",
    "firestore.googleapis.com",
    "storage.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "compute.googleapis.com",
    "cloudscheduler.googleapis.com",
    "secretmanager.googleapis.com",
    "identitytoolkit.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}
