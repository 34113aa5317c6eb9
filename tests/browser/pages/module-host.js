// The shop's own ES module importing the launcher's ES module entry, as a bundler-free site
// would: from the folder named by <meta name="loyalty-web"> (another origin in the tests).
const web = document.querySelector('meta[name="loyalty-web"]')?.content ?? '/web/';
const { LoyaltyLauncher } = await import(`${web}index.mjs`);
LoyaltyLauncher.define();
