# Values for the dev environment: terraform -chdir=infra apply -var-file=environments/dev.tfvars
project_id                       = "nna-registry-dev"
region                           = "us-central1"
environment                      = "dev"
assets_bucket_name               = "nna-registry-dev-assets"
album_art_bucket_name            = "nna-registry-dev-album-art"
album_art_topic_name             = "album-art-jobs"
album_art_dead_letter_topic_name = "album-art-jobs-dead-letter"
max_delivery_attempts            = 10
cdn_domain                       = ""
alert_email                      = "oncall@nna-registry.example"
