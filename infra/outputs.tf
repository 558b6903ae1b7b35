output "service_accounts" {
  description = "Runtime service accounts, for the deploy substitutions."
  value = {
    api       = google_service_account.api.email
    album_art = google_service_account.album_art.email
    variants  = google_service_account.variants.email
    invoker   = google_service_account.invoker.email
  }
}

output "album_art_public_base_url" {
  description = "Base of permanent album-art URLs (ALBUM_ART_PUBLIC_BASE_URL)."
  value       = local.cdn_enabled ? "https://${var.cdn_domain}" : "https://storage.googleapis.com/${google_storage_bucket.album_art.name}"
}

output "cdn_ip_address" {
  description = "Point the CDN domain's A record here."
  value       = local.cdn_enabled ? google_compute_global_address.album_art[0].address : null
}
