// The sample customers of demo/programs/full/ (seeded into the demo backend), one per situation
// worth seeing. Shared by the storefront's sign-in switcher and the merchant preview, which
// loads each customer document from /programs/full/customers/<file>.json.
export const sampleProgram = 'full';

export const personas = [
  {
    key: 'guest',
    customerId: null,
    file: 'guest',
    labelKey: 'persona.guest',
    label: 'Guest (signed out)',
  },
  {
    key: 'new',
    customerId: 'c-new',
    file: 'new-member',
    labelKey: 'persona.new',
    label: 'New member',
  },
  {
    key: 'near',
    customerId: 'c-near',
    file: 'near-reward',
    labelKey: 'persona.near',
    label: 'Near a reward',
  },
  { key: 'vip', customerId: 'c-vip', file: 'vip', labelKey: 'persona.vip', label: 'VIP' },
  {
    key: 'expiring',
    customerId: 'c-expiring',
    file: 'expiring',
    labelKey: 'persona.expiring',
    label: 'Points expiring soon',
  },
];
