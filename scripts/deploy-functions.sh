#!/usr/bin/env bash
# Deployment phases run by cloudbuild.yaml. Each 2nd gen function is a Cloud Run service of the
# same name (lower-cased); traffic is moved with the Cloud Run API.
#   deploy-functions.sh pin FUNCTION...          keep traffic on the revisions serving now
#   deploy-functions.sh smoke FUNCTION           tag the newest revision "candidate", GET /api/health on it
#   deploy-functions.sh promote FUNCTION...      send all traffic to the newest revision
#   deploy-functions.sh dead-letter FUNCTION     dead-letter and retry policy on the trigger subscription
#   deploy-functions.sh audience FUNCTION        stop unless AUTH_AUDIENCE is the URL the sweep's token names
# Needs REGION; dead-letter also DEAD_LETTER_TOPIC and MAX_DELIVERY_ATTEMPTS; audience also
# AUTH_AUDIENCE, PROJECT_ID and SWEEP_JOB.
set -euo pipefail

: "${REGION:?REGION is required}"

service_of() { echo "$1" | tr '[:upper:]' '[:lower:]'; }

serving_revision() {
  gcloud run services describe "$(service_of "$1")" --region="$REGION" \
    --format='value(status.traffic[0].revisionName)' 2>/dev/null || true
}

newest_revision() {
  gcloud run revisions list --service="$(service_of "$1")" --region="$REGION" \
    --sort-by='~metadata.creationTimestamp' --limit=1 --format='value(metadata.name)'
}

phase=${1:?usage: deploy-functions.sh pin|smoke|promote|dead-letter|audience FUNCTION...}
shift

case "$phase" in
  pin)
    for function in "$@"; do
      current=$(serving_revision "$function")
      if [ -z "$current" ]; then
        echo "$function: first deploy, nothing to pin"
        continue
      fi
      # A named revision (not "latest") keeps the next deploy from taking traffic by itself.
      gcloud run services update-traffic "$(service_of "$function")" --region="$REGION" --to-revisions="$current=100"
      echo "$function: traffic pinned to $current"
    done
    ;;
  smoke)
    function=${1:?smoke needs a function}
    candidate=$(newest_revision "$function")
    gcloud run services update-traffic "$(service_of "$function")" --region="$REGION" --update-tags="candidate=$candidate"
    url=$(gcloud run services describe "$(service_of "$function")" --region="$REGION" \
      --format='value(status.traffic.filter(tag:candidate).url)' | tr ';' '\n' | grep -m1 '^https' || true)
    if [ -z "$url" ]; then
      base=$(gcloud run services describe "$(service_of "$function")" --region="$REGION" --format='value(status.url)')
      url="${base/https:\/\//https://candidate---}"
    fi
    for attempt in 1 2 3 4 5; do
      if body=$(curl --silent --show-error --fail --max-time 10 "$url/api/health") && echo "$body" | grep -q '"status":"ok"'; then
        echo "smoke test passed on $candidate: $body"
        exit 0
      fi
      echo "smoke test attempt $attempt failed; retrying"
      sleep $((attempt * 5))
    done
    echo "smoke test failed on $candidate ($url/api/health); traffic stays where it was" >&2
    exit 1
    ;;
  promote)
    for function in "$@"; do
      newest=$(newest_revision "$function")
      gcloud run services update-traffic "$(service_of "$function")" --region="$REGION" --to-revisions="$newest=100"
      echo "$function: traffic on $newest"
    done
    ;;
  dead-letter)
    function=${1:?dead-letter needs a function}
    : "${DEAD_LETTER_TOPIC:?}" "${MAX_DELIVERY_ATTEMPTS:?}"
    trigger=$(gcloud functions describe "$function" --region="$REGION" --format='value(eventTrigger.trigger)')
    subscription=$(gcloud eventarc triggers describe "${trigger##*/}" --location="$REGION" \
      --format='value(transport.pubsub.subscription)')
    gcloud pubsub subscriptions update "$subscription" \
      --dead-letter-topic="$DEAD_LETTER_TOPIC" \
      --max-delivery-attempts="$MAX_DELIVERY_ATTEMPTS" \
      --min-retry-delay=10s --max-retry-delay=600s
    echo "$function: $subscription dead-letters to $DEAD_LETTER_TOPIC after $MAX_DELIVERY_ATTEMPTS attempts"
    ;;
  audience)
    # The API accepts Google identity tokens whose audience is AUTH_AUDIENCE. The daily sweep's
    # Cloud Scheduler token names the API's URL (infra/scheduler.tf: audience = var.api_url), so
    # anything else answers the sweep 401. This runs before the deploy and stops the build instead.
    function=${1:?audience needs a function}
    : "${AUTH_AUDIENCE:?}" "${PROJECT_ID:?}" "${SWEEP_JOB:?}"
    # A 2nd gen function's URL (the `url` gcloud reports), known before its first deploy; once
    # deployed, its Cloud Run URL reaches it too.
    expected="https://${REGION}-${PROJECT_ID}.cloudfunctions.net/${function}"
    urls="$expected"
    if deployed=$(gcloud functions describe "$function" --region="$REGION" --format='value(url)' 2>/dev/null); then
      urls="$urls $deployed $(gcloud functions describe "$function" --region="$REGION" --format='value(serviceConfig.uri)')"
    else
      echo "$function is not deployed yet: its URL will be $expected"
    fi
    stop() {
      echo "_AUTH_AUDIENCE is \"$AUTH_AUDIENCE\", $1, so the daily sweep would get 401." >&2
      echo "Deploy with --substitutions=_AUTH_AUDIENCE=$2 and set api_url = \"$2\" in infra/environments/<env>.tfvars." >&2
      exit 1
    }
    if sweep=$(gcloud scheduler jobs describe "$SWEEP_JOB" --location="$REGION" --format='value(httpTarget.oidcToken.audience)' 2>/dev/null); then
      [ "$AUTH_AUDIENCE" = "$sweep" ] || stop "but the sweep job $SWEEP_JOB's token names $sweep" "$sweep"
      echo "AUTH_AUDIENCE is what the sweep job's token names: $AUTH_AUDIENCE"
      exit 0
    else
      echo "no sweep job $SWEEP_JOB yet (infra creates it once api_url is set): checking against the API's URL only"
    fi
    for url in $urls; do
      if [ "$AUTH_AUDIENCE" = "$url" ]; then
        echo "AUTH_AUDIENCE is the API's URL: $AUTH_AUDIENCE"
        exit 0
      fi
    done
    stop "not the API's URL ($urls)" "$expected"
    ;;
  *)
    echo "unknown phase: $phase" >&2
    exit 2
    ;;
esac
