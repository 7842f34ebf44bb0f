# Superset settings for Footfall's bundled dashboard. docker/compose.yaml mounts this file as
# SUPERSET_CONFIG_PATH, and `npm run e2e:pipeline` points its local Superset at the same file; both
# pass the values that differ through the environment.
import os

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]

# SQLite is enough for one dashboard's metadata; compose keeps it on a volume.
SQLALCHEMY_DATABASE_URI = os.environ.get(
    "SUPERSET_DATABASE_URI",
    "sqlite:///" + os.path.join(os.environ.get("SUPERSET_HOME", "/app/superset_home"), "superset.db"),
)

# No Redis in this setup: cache in memory per process, and run queries synchronously.
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 60}
DATA_CACHE_CONFIG = CACHE_CONFIG
FILTER_STATE_CACHE_CONFIG = CACHE_CONFIG
EXPLORE_FORM_DATA_CACHE_CONFIG = CACHE_CONFIG

# Clickstream rows are fresh by the second; a dashboard that caches for an hour would hide them.
CACHE_DEFAULT_TIMEOUT = 60

FEATURE_FLAGS = {"DASHBOARD_NATIVE_FILTERS": True}
