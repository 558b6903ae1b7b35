/** The downloader's target check on its own: every address spelling, and names resolving anywhere. */
import { expect } from 'chai';
import { refusalOf } from '../../functions/album-art/address-policy.js';
import { hostAllowed } from '../../functions/domain/host-patterns.js';
import { AlbumArtJobError } from '../../functions/album-art/job-errors.js';
import { checkTarget, type DownloadPolicy, type Resolver } from '../../functions/album-art/safe-download.js';

const policy: DownloadPolicy = { allowedHosts: ['*'], loopbackSources: [], maxBytes: 1024, connectTimeoutMs: 1000, idleTimeoutMs: 1000, deadlineMs: 1000 };

async function refusal(
  url: string,
  resolve: Resolver = async () => [{ address: '93.184.216.34', family: 4 }],
  overrides: Partial<DownloadPolicy> = {},
): Promise<string | undefined> {
  try {
    await checkTarget(url, { ...policy, ...overrides }, resolve);
    return undefined;
  } catch (error) {
    if (error instanceof AlbumArtJobError) return error.code;
    throw error;
  }
}

describe('album-art address policy', () => {
  const refused = [
    '127.0.0.1',
    '127.255.255.254',
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '224.0.0.251',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '::127.0.0.1',
    '64:ff9b::7f00:1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '2002:7f00:1::',
  ];
  for (const address of refused) {
    it(`refuses ${address}`, () => expect(refusalOf(address, [])).to.be.a('string'));
  }

  for (const address of ['93.184.216.34', '17.253.144.10', '2606:4700::6810:84e5']) {
    it(`accepts the public address ${address}`, () => expect(refusalOf(address, [])).to.equal(undefined));
  }

  it('lets through only the loopback addresses the switch names', () => {
    expect(refusalOf('127.0.0.2', ['127.0.0.2'])).to.equal(undefined);
    expect(refusalOf('127.0.0.1', ['127.0.0.2'])).to.be.a('string');
    expect(refusalOf('::1', 'all')).to.equal(undefined);
    expect(refusalOf('10.0.0.1', 'all')).to.be.a('string');
  });

  const spellings = [
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.0.0.1/',
    'http://127.1/',
    'http://0x7f000001/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://0/',
  ];
  for (const url of spellings) {
    it(`refuses the spelling ${url}`, async () => expect(await refusal(url)).to.equal('ADDRESS_REFUSED'));
  }

  it('refuses a name when any of its addresses is private', async () => {
    const mixed: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    expect(await refusal('https://is1-ssl.mzstatic.com/a.jpg', mixed)).to.equal('ADDRESS_REFUSED');
    const mapped: Resolver = async () => [{ address: '::ffff:169.254.169.254', family: 6 }];
    expect(await refusal('https://is1-ssl.mzstatic.com/a.jpg', mapped)).to.equal('ADDRESS_REFUSED');
    expect(await refusal('https://is1-ssl.mzstatic.com/a.jpg')).to.equal(undefined);
  });

  it('matches the host allow-list by exact name or subdomain only', () => {
    const list = ['*.mzstatic.com'];
    expect(hostAllowed('is1-ssl.mzstatic.com', list)).to.equal(true);
    expect(hostAllowed('IS1-SSL.MZSTATIC.COM.', list)).to.equal(true);
    expect(hostAllowed('mzstatic.com.attacker.example', list)).to.equal(false);
    expect(hostAllowed('evilmzstatic.com', list)).to.equal(false);
  });

  it('refuses other schemes and credentials before resolving anything', async () => {
    const never: Resolver = async () => {
      throw new Error('must not resolve');
    };
    expect(await refusal('file:///etc/passwd', never)).to.equal('SCHEME_NOT_ALLOWED');
    expect(await refusal('gopher://is1-ssl.mzstatic.com/', never)).to.equal('SCHEME_NOT_ALLOWED');
    expect(await refusal('https://user:pw@is1-ssl.mzstatic.com/a.jpg', never)).to.equal('INVALID_URL');
    expect(await refusal('https://evil.example/a.jpg', never, { allowedHosts: ['*.mzstatic.com'] })).to.equal('HOST_NOT_ALLOWED');
  });
});
