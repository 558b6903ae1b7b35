variable "project_id" {
  description = "Google Cloud project that hosts this environment."
  type        = string
}

variable "region" {
  description = "Region of the functions, topics' consumers and buckets."
  type        = string
  default     = "us-central1"
}

variable "environment" {
  description = "dev, staging or production; becomes DEPLOY_ENV of the functions."
  type        = string
  validation {
    condition     = contains(["dev", "staging", "production"], var.environment)
    error_message = "environment must be dev, staging or production."
  }
}

variable "assets_bucket_name" {
  description = "Bucket of asset files (ASSETS_BUCKET)."
  type        = string
}

variable "album_art_bucket_name" {
  description = "Bucket of album-art originals and variants (ALBUM_ART_BUCKET)."
  type        = string
}

variable "album_art_topic_name" {
  description = "Topic of album-art jobs (ALBUM_ART_TOPIC)."
  type        = string
  default     = "album-art-jobs"
}

variable "album_art_dead_letter_topic_name" {
  description = "Dead-letter topic of album-art jobs."
  type        = string
  default     = "album-art-jobs-dead-letter"
}

variable "max_delivery_attempts" {
  description = "Deliveries of one album-art job before it is dead-lettered (Pub/Sub allows 5-100)."
  type        = number
  default     = 10
  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be between 5 and 100."
  }
}

variable "cdn_domain" {
  description = "Domain served by Cloud CDN in front of the album-art bucket; empty for none (then BLOB URLs use storage.googleapis.com and the variant objects need another way to be public)."
  type        = string
  default     = ""
}

variable "alert_email" {
  description = "Where alerts go."
  type        = string
}

variable "deployer_service_account" {
  description = "Service account Cloud Build deploys with (default: the project's Cloud Build service account)."
  type        = string
  default     = ""
}

variable "api_url" {
  description = "Base URL of the deployed api function, for the daily sweep of deleted assets; empty until the function is deployed (then no sweep job; each new API instance still sweeps)."
  type        = string
  default     = ""
}

variable "deleted_assets_sweep_schedule" {
  description = "Cron schedule (UTC) of the sweep that purges deleted assets past their retention."
  type        = string
  default     = "17 3 * * *"
}
