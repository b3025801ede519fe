import { checkSync } from 'recheck'
import { expect, test } from 'vitest'
import { REDACTIONS, redact } from './redact.js'

test.each<[string, string, string]>([
  ['bearer token', 'Authorization: Bearer abc.DEF-123_x/y+z=', 'Authorization: Bearer [REDACTED]'],
  ['bearer, any case', 'authorization: bearer abc123', 'authorization: bearer [REDACTED]'],
  ['JWT anywhere', 'token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl in a line', 'token [REDACTED] in a line'],
  ['JWT without signature', 'x eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. y', 'x [REDACTED] y'],
  ['basic auth in a URL', 'proxy https://user:s3cr3t@registry.example.com/v2/', 'proxy https://[REDACTED]@registry.example.com/v2/'],
  ['Authorization: Basic', 'Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [REDACTED]'],
  ['"Basic" in prose is kept', 'Basic troubleshooting steps', 'Basic troubleshooting steps'],
  ['aws_secret_access_key', "aws_secret_access_key = 'wJalrXUtnFEMI/K7MDENG'", "aws_secret_access_key = '[REDACTED]'"],
  ['secretkey in a config dump', 'secretkey:abcdEFGH1234 region:us-east-1', 'secretkey:[REDACTED] region:us-east-1'],
  ['X-Amz-Signature', '/data?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F2024&X-Amz-Signature=deadbeef&x=1', '/data?X-Amz-Algorithm=AWS4&X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]&x=1'],
  ['X-Amz-Signature before an error status', 'request to https://b.s3.amazonaws.com/data?X-Amz-Signature=deadbeef: 403 Forbidden', 'request to https://b.s3.amazonaws.com/data?X-Amz-Signature=[REDACTED]: 403 Forbidden'],
  ['X-Goog-Signature', '/data?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam&X-Goog-Signature=0a1b2c', '/data?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=[REDACTED]&X-Goog-Signature=[REDACTED]'],
  ['private_token query', 'GET /api/v4/projects?private_token=glpat-abc&page=2', 'GET /api/v4/projects?private_token=[REDACTED]&page=2'],
  ['token= query', '/jwt/auth?service=container_registry&token=abc123', '/jwt/auth?service=container_registry&token=[REDACTED]'],
  ['password= logfmt quoted', 'msg=login password="hunter 2" user=root', 'msg=login password=[REDACTED] user=root'],
  ['"password":"…" JSON', '{"user":"root","password":"hu\\"nter2","x":1}', '{"user":"root","password":"[REDACTED]","x":1}'],
  ['Authorization in a Go header map', 'headers map[Authorization:[Basic dXNlcjpwYXNz] User-Agent:[docker]]', 'headers map[Authorization:[Basic [REDACTED]] User-Agent:[docker]]'],
  ['a GitLab token by its prefix', 'using glpat-abcDEF123_xyz and glcbt-64_abc for the job', 'using [REDACTED] and [REDACTED] for the job'],
  ['PRIVATE-TOKEN header', 'curl --header "PRIVATE-TOKEN: s3cr3tvalue" https://gitlab.example.com/api/v4', 'curl --header "PRIVATE-TOKEN: [REDACTED]" https://gitlab.example.com/api/v4'],
  ['JOB-TOKEN in a Go header map', 'map[Job-Token:[abcd1234]]', 'map[Job-Token:[[REDACTED]]]'],
  ['S3 SigV2 URL', '/data?AWSAccessKeyId=AKIAEXAMPLE&Expires=1&Signature=abc%2Bdef', '/data?AWSAccessKeyId=[REDACTED]&Expires=1&Signature=[REDACTED]'],
  ['CloudFront signed URL', '/blob?Expires=1&Signature=Ab~cd&Key-Pair-Id=K2J', '/blob?Expires=1&Signature=[REDACTED]&Key-Pair-Id=K2J'],
  ['Azure SAS', '/c/blob?sv=2021&sig=abc%3D&se=2024', '/c/blob?sv=2021&sig=[REDACTED]&se=2024'],
  ["gitlab.rb's Ruby hash", "'secretkey' => 'wJalrXUtnFEMI/K7MDENG', 'region' => 'eu'", "'secretkey' => '[REDACTED]', 'region' => 'eu'"],
  ["a password in a Ruby hash", "{'password' => 'hunter 2', 'user' => 'x'}", "{'password' => '[REDACTED]', 'user' => 'x'}"],
  ['docker login -u … -p …', '$ docker login -u gitlab-ci-token -p s3cr3t registry.example.com', '$ docker login -u gitlab-ci-token -p [REDACTED] registry.example.com'],
  ['docker login -p first', 'docker login -p s3cr3t -u user reg', 'docker login -p [REDACTED] -u user reg'],
  ['docker login --username … -p …', 'docker login --username user -p s3cr3t reg', 'docker login --username user -p [REDACTED] reg'],
  ['docker login -u=… -p=…', 'docker login -u=user -p=s3cr3t reg', 'docker login -u=user -p=[REDACTED] reg'],
  ['--password=…', 'docker login --username x --password=s3cr3t reg', 'docker login --username x --password=[REDACTED] reg'],
  ['a quoted password with a space', 'docker login --password "s3 cr3t" reg', 'docker login --password "[REDACTED]" reg'],
  ['a port mapping is not a password', 'docker run -p 5000:5000 registry:2', 'docker run -p 5000:5000 registry:2'],
  ['a port mapping after -u is not a password', 'docker run -u 1000 -p 5000:5000 registry:2', 'docker run -u 1000 -p 5000:5000 registry:2'],
  ['an instance token prefix', 'token mycompany-glpat-abcdef123 used', 'token mycompany-[REDACTED] used'],
  ['a Ruby symbol hash', '{:password=>"hunter2", :user=>"x"}', '{:password=>"[REDACTED]", :user=>"x"}'],
  ['a quoted secret key with a space', `'secretkey' => "wJalr XUtn", 'region' => 'eu'`, `'secretkey' => "[REDACTED]", 'region' => 'eu'`],
  ['nothing secret', 'GET /v2/group/app/manifests/latest 200', 'GET /v2/group/app/manifests/latest 200'],
])('%s', (_name, input, expected) => {
  expect(redact(input)).toBe(expected)
})

test.each(REDACTIONS.map(([pattern]) => [pattern.source, pattern.flags.replace('g', '')]))('%s is linear (recheck)', (source, flags) => {
  expect(checkSync(source, flags, { timeout: 10_000 }).status).toBe('safe')
})

test('a long hostile line is redacted quickly', () => {
  const hostile = `${'eyJ-'.repeat(50_000)} ${'a://b:'.repeat(20_000)} ${'Bearer '.repeat(20_000)} ${'login -p "a '.repeat(20_000)}`
  const started = performance.now()
  redact(hostile)
  expect(performance.now() - started).toBeLessThan(1_000)
})
