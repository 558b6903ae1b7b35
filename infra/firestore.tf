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
