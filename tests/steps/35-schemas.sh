# The published program/customer/context JSON Schemas accept every demo sample and reject
# broken documents (node:test + Ajv, draft 2020-12).
set -euo pipefail
node --test --test-reporter=spec tests/node/schemas.test.mjs
