# Asset files uploaded through the API. Private; clients read them through signed or proxied URLs
# as before. Staged uploads that never became an asset are removed after a day.
resource "google_storage_bucket" "assets" {
  name                        = var.assets_bucket_name
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = local.labels

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age            = 1
      matches_prefix = ["staging/"]
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }
}

# Album-art originals and their variants, content-addressed by the image's sha256 across the
# registry: album-art/originals/{sha256} (private: only the functions read it) and
# album-art/variants/{sha256}/... (public through Cloud CDN, cdn.tf, whose fill service account may
# read that prefix only). Objects are written create-only and never change, so no versioning.
resource "google_storage_bucket" "album_art" {
  name                        = var.album_art_bucket_name
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = local.labels

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  # Art of a source URL replaced long ago is still referenced by nothing; move it to cheaper storage.
  lifecycle_rule {
    condition {
      age = 365
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }
}
