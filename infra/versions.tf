terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }

  # State lives in a GCS bucket created once by hand (see README, "First-time setup"):
  #   terraform init -backend-config="bucket=<project>-tfstate" -backend-config="prefix=<environment>"
  backend "gcs" {}
}
