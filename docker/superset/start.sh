#!/bin/sh
# Superset's start in docker/compose.yaml: metadata database, admin user, roles, the bundled Footfall
# dashboard (imported again on every start, so edits to docker/superset/export arrive with a restart),
# then the web server. `npm run e2e:pipeline` runs the same commands against a local Superset.
set -eu
superset db upgrade
superset fab create-admin --username admin --firstname Footfall --lastname Admin \
  --email admin@footfall.invalid --password "${SUPERSET_ADMIN_PASSWORD}" || true # exists after the first start
superset init
python3 /app/footfall-scripts/zip_export.py --src /app/footfall/export \
  --out /tmp/footfall-superset-export.zip --druid-uri "${FOOTFALL_DRUID_URI}"
superset import-dashboards -p /tmp/footfall-superset-export.zip -u admin
exec /app/docker/entrypoints/run-server.sh
