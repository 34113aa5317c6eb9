// PostgreSQL going away under a running server, as a restart or a failover does: every
// connection the server holds is cut and, for a while, none can be made. Meanwhile the server
// answers 503 and loses nothing it acknowledged; once the database takes connections again, the
// same process serves again, with no restart. On SQLite (LOYALTY_TEST_STORE unset) skipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  call,
  databaseName,
  enrol,
  postgresAdmin,
  shopper,
  startServer,
  store,
} from './harness.mjs';

const skip = store !== 'postgres' && 'a PostgreSQL outage needs the PostgreSQL store';

const redeem = (server, key) =>
  call(server, 'POST', '/v1/redemptions', {
    headers: { ...shopper('pg-outage'), 'Idempotency-Key': key },
    body: { rewardId: 'r5' },
  });

/**
 * Cuts every connection to the server's database (waiting until each is gone) and refuses new
 * ones until `reopen()`.
 */
function cutOff(database) {
  postgresAdmin(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
  postgresAdmin(
    `SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '${database}'`,
  );
  return () => postgresAdmin(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
}

test(
  'PostgreSQL cut off and back: 503 meanwhile, then the same process serves',
  { skip },
  async () => {
    const server = await startServer({ args: ['--rate-redemptions', '0', '--threads', '4'] });
    try {
      await enrol(server, 'pg-outage', { points: 1900 }); // 100 sign-up + 1900 = 4 x 500
      const first = await redeem(server, 'outage-1');
      assert.equal(first.status, 201);

      const reopen = cutOff(databaseName(server.dir));
      let down;
      try {
        // Each thread finds its connection gone; none can connect again yet.
        for (let i = 0; i < 8; i += 1) {
          down = await redeem(server, 'outage-2');
          assert.equal(down.status, 503, JSON.stringify(down.body));
          assert.equal(down.body.error.code, 'server.storage');
          const read = await call(server, 'GET', '/v1/customer', { headers: shopper('pg-outage') });
          assert.equal(read.status, 503, JSON.stringify(read.body));
        }
      } finally {
        reopen();
      }

      // Back: the redemption refused meanwhile goes through on retry, once; the server was not
      // restarted (the same child process answers).
      const again = await redeem(server, 'outage-2');
      assert.equal(again.status, 201, JSON.stringify(again.body));
      const replay = await redeem(server, 'outage-2');
      assert.equal(replay.status, 201);
      assert.equal(replay.body.redemption.code, again.body.redemption.code);
      const after = await call(server, 'GET', '/v1/customer', { headers: shopper('pg-outage') });
      assert.equal(after.status, 200);
      assert.equal(after.body.summary.balance, 1000); // 2000 - two redemptions of 500
      assert.equal(server.child.exitCode, null);
    } finally {
      await server.stop();
    }
  },
);
