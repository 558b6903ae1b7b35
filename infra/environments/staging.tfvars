# Values for the staging environment: terraform -chdir=infra apply -var-file=environments/staging.tfvars
project_id                       = "nna-registry-staging"
region                           = "us-central1"
environment                      = "staging"
assets_bucket_name               = "nna-registry-staging-assets"
album_art_bucket_name            = "nna-registry-staging-album-art"
album_art_topic_name             = "album-art-jobs"
album_art_dead_letter_topic_name = "album-art-jobs-dead-letter"
max_delivery_attempts            = 10
cdn_domain                       = ""
alert_email                      = "oncall@nna-registry.example"
