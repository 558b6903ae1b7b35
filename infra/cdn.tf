# Public delivery of album art: Cloud CDN in front of the private album-art bucket. Variant URLs
# are https://<cdn_domain>/album-art/variants/{sha256}/{150|500|original-size}.{jpg|webp|avif}
# (ALBUM_ART_PUBLIC_BASE_URL). The originals under album-art/originals/ are out of the CDN's reach.
# Created only when cdn_domain is set.

locals {
  cdn_enabled = var.cdn_domain != ""
}

resource "google_compute_backend_bucket" "album_art" {
  count       = local.cdn_enabled ? 1 : 0
  name        = "nna-album-art-${var.environment}"
  bucket_name = google_storage_bucket.album_art.name
  enable_cdn  = true
  cdn_policy {
    cache_mode        = "CACHE_ALL_STATIC"
    default_ttl       = 86400
    max_ttl           = 31536000
    negative_caching  = true
    serve_while_stale = 86400
  }
}

# The CDN's cache-fill identity is the only public reader, and of the variants only: the condition
# keeps the originals (album-art/originals/{sha256}, EXIF and all) private to the functions.
resource "google_storage_bucket_iam_member" "cdn_fill_reader" {
  count  = local.cdn_enabled ? 1 : 0
  bucket = google_storage_bucket.album_art.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:service-${local.project_number}@cloud-cdn-fill.iam.gserviceaccount.com"

  condition {
    title       = "album-art-variants-only"
    description = "The CDN reads variants; originals stay private"
    expression  = "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.album_art.name}/objects/album-art/variants/\")"
  }
}

resource "google_compute_url_map" "album_art" {
  count           = local.cdn_enabled ? 1 : 0
  name            = "nna-album-art-${var.environment}"
  default_service = google_compute_backend_bucket.album_art[0].id
}

resource "google_compute_managed_ssl_certificate" "album_art" {
  count = local.cdn_enabled ? 1 : 0
  name  = "nna-album-art-${var.environment}"
  managed {
    domains = [var.cdn_domain]
  }
}

resource "google_compute_target_https_proxy" "album_art" {
  count            = local.cdn_enabled ? 1 : 0
  name             = "nna-album-art-${var.environment}"
  url_map          = google_compute_url_map.album_art[0].id
  ssl_certificates = [google_compute_managed_ssl_certificate.album_art[0].id]
}

resource "google_compute_global_address" "album_art" {
  count = local.cdn_enabled ? 1 : 0
  name  = "nna-album-art-${var.environment}"
}

resource "google_compute_global_forwarding_rule" "album_art" {
  count      = local.cdn_enabled ? 1 : 0
  name       = "nna-album-art-${var.environment}"
  target     = google_compute_target_https_proxy.album_art[0].id
  ip_address = google_compute_global_address.album_art[0].address
  port_range = "443"
}
