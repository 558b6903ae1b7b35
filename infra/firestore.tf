# Composite indexes come from firestore.indexes.json, the file the query-shape test checks, so the
# indexes deployed are exactly the ones the code needs.
locals {
  firestore_index_file = jsondecode(file("${path.module}/firestore.indexes.json"))
  firestore_indexes = {
    for index in local.firestore_index_file.indexes :
    join("__", concat([index.collectionGroup], [for field in index.fields : "${field.fieldPath}_${lookup(field, "order", lookup(field, "arrayConfig", ""))}"])) => index
  }
}

# The assets collection's single-field overrides come from the same file: the search index
# (`_sys.search`) keeps only its composite index, and the fields of the earlier search designs and the
# long texts nothing queries get no index entries (docs/search.md).
resource "google_firestore_field" "asset_overrides" {
  for_each = {
    for override in local.firestore_index_file.fieldOverrides :
    override.fieldPath => override if override.collectionGroup == "assets"
  }
  project    = var.project_id
  database   = "(default)"
  collection = "assets"
  field      = each.value.fieldPath

  index_config {
    dynamic "indexes" {
      for_each = each.value.indexes
      content {
        query_scope  = indexes.value.queryScope
        order        = lookup(indexes.value, "order", null)
        array_config = lookup(indexes.value, "arrayConfig", null)
      }
    }
  }
}

resource "google_firestore_index" "composite" {
  for_each    = local.firestore_indexes
  project     = var.project_id
  database    = "(default)"
  collection  = each.value.collectionGroup
  query_scope = lookup(each.value, "queryScope", "COLLECTION")

  dynamic "fields" {
    for_each = each.value.fields
    content {
      field_path   = fields.value.fieldPath
      order        = lookup(fields.value, "order", null)
      array_config = lookup(fields.value, "arrayConfig", null)
    }
  }
}

# Documents that only matter for a while expire by themselves: per-minute metric buckets of the
# status page and the per-host, per-minute album-art rate-limit counters.
resource "google_firestore_field" "metric_minutes_ttl" {
  project    = var.project_id
  database   = "(default)"
  collection = "minutes"
  field      = "expireAt"
  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "rate_limit_ttl" {
  project    = var.project_id
  database   = "(default)"
  collection = "album_art_rate_limits"
  field      = "expireAt"
  ttl_config {}
  index_config {}
}

# Sign-in throttling counts failed attempts per account and per client address in one document per
# key and window (functions/adapters/firestore/firestore-attempt-counters.ts); a window's document
# expires a window after it ends.
resource "google_firestore_field" "sign_in_throttle_ttl" {
  project    = var.project_id
  database   = "(default)"
  collection = "sign_in_throttle"
  field      = "expireAt"
  ttl_config {}
  index_config {}
}

# --- Nothing lost (docs/data-safety.md) ---
# A deleted asset waits in {assets}_deleted for restore. The sweep purges it (files, unshared album
# art, then the document) when purgeAt passes; this TTL, a week later, removes only what the sweep
# missed, so a stopped sweep cannot keep deleted data for ever.
resource "google_firestore_field" "deleted_assets_ttl" {
  project    = var.project_id
  database   = "(default)"
  collection = "assets_deleted"
  field      = "expireAt"
  ttl_config {}
  index_config {}
}

# History entries ({assets}/{id}/history/{entry}) expire after HISTORY_RETENTION_DAYS.
resource "google_firestore_field" "history_ttl" {
  project    = var.project_id
  database   = "(default)"
  collection = "history"
  field      = "expireAt"
  ttl_config {}
  index_config {}
}

# The before-image is one large string that nothing queries: no index entries (decision 3).
resource "google_firestore_field" "history_before_unindexed" {
  project    = var.project_id
  database   = "(default)"
  collection = "history"
  field      = "before"
  index_config {}
}

# Idempotency keys are remembered for IDEMPOTENCY_TTL_HOURS; the recorded response is not queried.
resource "google_firestore_field" "idempotency_keys_ttl" {
  project    = var.project_id
  database   = "(default)"
  collection = "idempotency_keys"
  field      = "expireAt"
  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "idempotency_response_unindexed" {
  project    = var.project_id
  database   = "(default)"
  collection = "idempotency_keys"
  field      = "response"
  index_config {}
}
