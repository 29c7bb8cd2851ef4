#!/usr/bin/env bash
# Lints the deployment files: Dockerfiles, compose file, Helm chart, YAML style.
# Fails (non-zero) on any problem. No Docker engine or helm binary is needed.
#   bash scripts/lint-deploy.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
failures=0
step() { printf '\n== %s\n' "$1"; }
fail() { printf 'FAIL: %s\n' "$1" >&2; failures=$((failures + 1)); }

# --- Dockerfiles: dockerfile-utils (errors exit 1; warnings exit 0, so any diagnostic fails here)
step "dockerfile-utils lint"
linter=node_modules/.bin/dockerfile-utils
[[ -x "$linter" ]] || { echo "dockerfile-utils missing: run npm install first" >&2; exit 1; }
for file in docker/backend.Dockerfile docker/capture.Dockerfile; do
  if output=$("$linter" lint "$file" 2>&1) && [[ -z "$output" ]]; then
    echo "ok   $file"
  else
    printf '%s\n' "$output"
    fail "$file"
  fi
done

# --- Compose: interpolation and schema, with dummy secrets; and the secrets must be required.
step "compose config"
if command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  echo "neither docker-compose nor docker compose found" >&2
  exit 1
fi
# An empty env file: a developer's docker/.env must not change the result.
empty_env=$(mktemp)
trap 'rm -f "$empty_env"' EXIT
compose_args=(--env-file "$empty_env" -f docker/compose.yml)
dummy_env=(
  MYSQL_ROOT_PASSWORD=lint-root-password
  MYSQL_PASSWORD=lint-password
  REDIS_PASSWORD=lint-redis-password
  SESSION_SECRET=lint-session-secret-of-at-least-32-chars
)
if env "${dummy_env[@]}" "${compose[@]}" "${compose_args[@]}" config -q \
  && env "${dummy_env[@]}" COMPOSE_PROFILES=proxy,capture "${compose[@]}" "${compose_args[@]}" config -q; then
  echo "ok   docker/compose.yml (default, proxy and capture profiles)"
else
  fail "docker/compose.yml does not validate"
fi
before=$failures
for required in MYSQL_ROOT_PASSWORD MYSQL_PASSWORD REDIS_PASSWORD SESSION_SECRET; do
  if env "${dummy_env[@]}" env -u "$required" "${compose[@]}" "${compose_args[@]}" config -q >/dev/null 2>&1; then
    fail "docker/compose.yml starts without $required: it must be required (\${$required:?...})"
  fi
done
((failures == before)) && echo "ok   required secrets refused when missing"

# --- YAML style and syntax (helm templates are excluded in .yamllint.yml)
step "yamllint"
if yamllint -c .yamllint.yml docker/compose.yml helm/appliance/Chart.yaml helm/appliance/values.yaml .yamllint.yml; then
  echo "ok   yaml"
else
  fail "yamllint"
fi

# --- Helm chart: values against values.schema.json, Chart.yaml, template blocks
step "helm chart"
node scripts/check-helm-chart.cjs helm/appliance || fail "helm/appliance"
if command -v helm >/dev/null 2>&1; then
  helm lint helm/appliance || fail "helm lint"
else
  echo "note helm not installed: templates are not rendered here"
fi

echo
if ((failures)); then
  echo "lint-deploy: $failures problem(s)" >&2
  exit 1
fi
echo "lint-deploy: all checks passed"
