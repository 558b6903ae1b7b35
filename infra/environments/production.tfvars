# Values for the production environment: terraform -chdir=infra apply -var-file=environments/production.tfvars
project_id                       = "nna-registry-production"
region                           = "us-central1"
environment                      = "production"
assets_bucket_name               = "nna-registry-production-assets"
album_art_bucket_name            = "nna-registry-production-album-art"
album_art_topic_name             = "album-art-jobs"
album_art_dead_letter_topic_name = "album-art-jobs-dead-letter"
max_delivery_attempts            = 10
cdn_domain                       = "art.nna-registry.example"
alert_email                      = "oncall@nna-registry.example"
