# Composite indexes come from firestore.indexes.json, the file the query-shape test checks, so the
# indexes deployed are exactly the ones the code needs.
locals {
  firestore_index_file = jsondecode(file("${path.module}/firestore.indexes.json"))
  firestore_indexes = {
    for index in local.firestore_index_file.indexes :
    join("__", concat([index.collectionGroup], [for field in index.fields : "${field.fieldPath}_${lookup(field, "order", lookup(field, "arrayConfig", ""))}"])) => index
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
