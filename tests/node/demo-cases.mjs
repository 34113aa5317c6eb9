// Every demo program (demo/programs/<name>/) with each of its customers and its context:
// [{name: "full × vip.json", program, customer, context}] as file paths, in name order.
import fs from 'node:fs';
import path from 'node:path';

export function demoCases(programsDir) {
  const cases = [];
  if (!fs.existsSync(programsDir)) return cases;
  for (const name of fs.readdirSync(programsDir).sort()) {
    const dir = path.join(programsDir, name);
    const customersDir = path.join(dir, 'customers');
    if (!fs.statSync(dir).isDirectory() || !fs.existsSync(customersDir)) continue;
    for (const customer of fs
      .readdirSync(customersDir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      cases.push({
        name: `${name} × ${customer}`,
        program: path.join(dir, 'program.json'),
        customer: path.join(customersDir, customer),
        context: path.join(dir, 'context.json'),
      });
    }
  }
  return cases;
}
