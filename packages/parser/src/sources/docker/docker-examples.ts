// The documented lines of the docker source: docs for readers, and tests (sources.test.ts runs each).
// Seed lines (GitLab's registry docs, shared/seeds/) are verbatim; the rest follow shared/spec/formats-nginx-rails-docker.md
// §3–4 with hosts and names replaced by example values.
import type { SourceExample } from '../../define-source.js'
import type { DockerEvent } from '../../log-event.js'

const SEED_EXAMPLES: readonly SourceExample<DockerEvent>[] = [
  {
    title: 'x509 from a job, Go < 1.14 bare URL (seed: self-signed certificates)',
    lines: ['Error response from daemon: Get registry.example.com/v1/users/: x509: certificate signed by unknown authority'],
    event: {
      source: 'docker', component: 'cli', level: 'error', error: 'x509: certificate signed by unknown authority',
      fields: { verb: 'Get', url: 'registry.example.com/v1/users/' },
    },
  },
  {
    title: 'docker login refused on the /v2/ ping, Go ≥ 1.14 quoted URL (seed: access forbidden)',
    lines: ['Error response from daemon: Get "https://gitlab.company.com:4567/v2/": denied: access forbidden'],
    event: { component: 'cli', error: 'denied: access forbidden', fields: { url: 'https://gitlab.company.com:4567/v2/', error_code: 'denied' } },
  },
  {
    title: 'login with a token signed by an untrusted key (seed)',
    lines: ['Error response from daemon: login attempt to https://gitlab.company.com:4567/v2/ failed with status: 401 Unauthorized'],
    event: { component: 'cli', level: 'error', fields: { url: 'https://gitlab.company.com:4567/v2/', status: '401' } },
  },
  {
    title: 'the push command as the docs show it (seed)',
    lines: ['docker push gitlab.example.com/myproject/docs:latest'],
    event: { component: 'cli', imageReference: 'gitlab.example.com/myproject/docs:latest', fields: { docker_command: 'push' } },
  },
  {
    title: 'a login command after a shell prompt (seed)',
    lines: ['# docker login gitlab.company.com:4567'],
    event: { component: 'cli', fields: { docker_command: 'login', host: 'gitlab.company.com:4567' } },
  },
  {
    title: 'a login command after a PowerShell-style prompt (seed)',
    lines: ['> docker login gitlab.example.com:4567'],
    event: { component: 'cli', fields: { docker_command: 'login', host: 'gitlab.example.com:4567' } },
  },
  {
    title: 'a build command names its tag (seed)',
    lines: ['docker build -t my.registry.com/my.group/my.project:latest .'],
    event: { imageReference: 'my.registry.com/my.group/my.project:latest', fields: { docker_command: 'build' } },
  },
  {
    title: 'push header, older wording with "a" (seed)',
    lines: ['The push refers to a repository [gitlab.example.com/myproject/docs]'],
    event: { component: 'cli', imageReference: 'gitlab.example.com/myproject/docs' },
  },
  {
    title: 'push header to a registry on a port (seed)',
    lines: ['The push refers to a repository [s3-testing.myregistry.com:5050/root/docker-test/docker-image]'],
    event: { imageReference: 's3-testing.myregistry.com:5050/root/docker-test/docker-image' },
  },
  { title: 'layer preparing (seed)', lines: ['630816f32edb: Preparing'], event: { layerId: '630816f32edb', layerStatus: 'Preparing' } },
  { title: 'layer waiting (seed)', lines: ['4b0bab9ff599: Waiting'], event: { layerId: '4b0bab9ff599', layerStatus: 'Waiting' } },
  {
    title: 'progress with a full bar and no total (seed)',
    lines: ['dc5e59c14160: Pushing [==================================================>] 14.85 kB'],
    event: { layerId: 'dc5e59c14160', layerStatus: 'Pushing', progressBytes: 14850 },
  },
  {
    title: 'progress without a bar (seed)',
    lines: ['228950524c88: Pushing 2.048 kB'],
    event: { layerStatus: 'Pushing', progressBytes: 2048 },
  },
  {
    title: 'progress of a large layer, done/total (seed)',
    lines: ['6a8ecde4cc03: Pushing [==>                                                ] 9.901 MB/205.7 MB'],
    event: { layerId: '6a8ecde4cc03', layerStatus: 'Pushing', progressBytes: 9_901_000, totalBytes: 205_700_000 },
  },
  {
    title: 'the S3 HEAD 403 seen from docker (seed: unexpected 403 during push)',
    lines: ['error parsing HTTP 403 response body: unexpected end of JSON input: ""'],
    event: { level: 'error', error: 'error parsing HTTP 403 response body: unexpected end of JSON input: ""', fields: { status: '403' } },
  },
  {
    title: 'token expired during a large push (seed)',
    lines: ['unauthorized: authentication required'],
    event: { level: 'error', error: 'unauthorized: authentication required', fields: { error_code: 'unauthorized' } },
  },
  {
    title: 'manifest list pushed across repositories (seed)',
    lines: ['manifest blob unknown: blob unknown to registry'],
    event: { error: 'manifest blob unknown: blob unknown to registry', fields: { error_code: 'manifest blob unknown' } },
  },
]

const CLI_EXAMPLES: readonly SourceExample<DockerEvent>[] = [
  {
    title: 'x509 wrapped by Go ≥ 1.20 (docker/login-action#613)',
    lines: ['Error response from daemon: Get "https://registry.example.com/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority'],
    event: { error: 'tls: failed to verify certificate: x509: certificate signed by unknown authority' },
  },
  {
    title: 'a pull refused on the manifest HEAD names the image',
    lines: ['Error response from daemon: Head "https://registry.example.com/v2/group/app/manifests/1.2.0": denied: access forbidden'],
    event: { imageReference: 'registry.example.com/group/app:1.2.0', error: 'denied: access forbidden' },
  },
  {
    title: 'schema 1 manifest refused (docker pull ≥ GitLab 13.9)',
    lines: ['Error response from daemon: manifest invalid: Schema 1 manifest not supported'],
    event: { error: 'manifest invalid: Schema 1 manifest not supported', fields: { error_code: 'manifest invalid' } },
  },
  {
    title: 'docker 1.9 capitalised status error',
    lines: ['Received unexpected HTTP status: 500 Internal Server Error'],
    event: { level: 'error', fields: { status: '500' } },
  },
  {
    title: 'a retried layer (gitlab#8773)',
    lines: ['561233343a27: Retrying in 20 seconds'],
    event: { layerId: '561233343a27', layerStatus: 'Retrying', retryInSeconds: 20 },
  },
  {
    title: 'newer progress without spaces, GB total',
    lines: ['8d3ac3489996: Pushing  4.974MB/1.2GB'],
    event: { progressBytes: 4_974_000, totalBytes: 1_200_000_000 },
  },
  {
    title: 'docker manifest push with one error per line (distribution#3100)',
    lines: [
      'failed to put manifest registry.example.com/group/app:multi: errors:',
      'manifest blob unknown: blob unknown to registry',
      'manifest blob unknown: blob unknown to registry',
    ],
    event: {
      level: 'error', imageReference: 'registry.example.com/group/app:multi', error: 'manifest blob unknown: blob unknown to registry',
      fields: { error_code: 'manifest blob unknown' },
    },
  },
  {
    title: 'an invalid repository name in docker build -t (gitlab#336369)',
    lines: ['invalid argument "registry.example.com/group/_app:latest" for "-t, --tag" flag: invalid reference format'],
    event: { imageReference: 'registry.example.com/group/_app:latest', error: 'invalid reference format' },
  },
  { title: 'the help hint after a flag error', lines: ["See 'docker build --help'."], event: { component: 'cli' } },
  { title: 'a successful login', lines: ['Login Succeeded'], event: { component: 'cli', message: 'Login Succeeded' } },
  {
    title: 'the digest line that ends a successful push',
    lines: ['latest: digest: sha256:3c5d1f0e2b4a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4 size: 1789'],
    event: { fields: { tag: 'latest', size: '1789' } },
  },
]

const DAEMON_RUNNER_KANIKO_EXAMPLES: readonly SourceExample<DockerEvent>[] = [
  {
    title: 'dockerd retrying an upload (charts#1782)',
    lines: ['time="2024-05-02T10:31:04.118209331Z" level=error msg="Upload failed, retrying: EOF"'],
    event: { component: 'dockerd', level: 'error', message: 'Upload failed, retrying: EOF', error: 'EOF', time: Date.UTC(2024, 4, 2, 10, 31, 4, 118) },
  },
  {
    title: 'dockerd API call for a push',
    lines: ['time="2024-05-02T10:30:58.000000000Z" level=debug msg="Calling POST /v1.43/images/registry.example.com/group/app/push?tag=latest"'],
    event: { component: 'dockerd', level: 'debug', imageReference: 'registry.example.com/group/app:latest' },
  },
  {
    title: 'runner version banner',
    lines: ['Running with gitlab-runner 16.0.1 (79704081)'],
    event: { component: 'runner', fields: { version: '16.0.1' } },
  },
  {
    title: 'the CI job token was used for the pull',
    lines: ['Authenticating with credentials from job payload (GitLab Registry)'],
    event: { component: 'runner', fields: { credentials: 'job payload (GitLab Registry)' } },
  },
  {
    title: 'pull denied by the job token scope (docker executor)',
    lines: [
      `WARNING: Failed to pull image with policy "always": Error response from daemon: pull access denied for registry.example.com/group/private/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied (manager.go:237:0s)`,
    ],
    event: {
      component: 'runner', level: 'warning', imageReference: 'registry.example.com/group/private/app',
      fields: { policy: 'always', call_site: 'manager.go:237:0s', error_code: 'denied' },
    },
  },
  {
    title: 'pull denied by the job token scope (Kubernetes executor)',
    lines: [
      'WARNING: Failed to pull image with policy "": image pull failed: rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/group/private/app:latest": failed to resolve reference "registry.example.com/group/private/app:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    ],
    event: { component: 'runner', imageReference: 'registry.example.com/group/private/app:latest', fields: { error_code: 'insufficient_scope' } },
  },
  {
    // The kubelet's wording (Kubernetes and AKS troubleshooting docs) in the runner's event line.
    title: 'the kubelet refuses the reference before pulling (Kubernetes executor)',
    lines: [
      `WARNING: Event retrieved from the cluster: Failed to apply default image tag "registry.example.com/acme/_internal/app:latest": couldn't parse image reference "registry.example.com/acme/_internal/app:latest": invalid reference format`,
    ],
    event: { component: 'runner', level: 'warning', imageReference: 'registry.example.com/acme/_internal/app:latest' },
  },
  {
    title: 'the job fails on the pull',
    lines: [
      `ERROR: Job failed: failed to pull image "registry.example.com/group/private/app:latest" with specified policies [always]: Error response from daemon: pull access denied for registry.example.com/group/private/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied (manager.go:237:0s)`,
    ],
    event: { component: 'runner', level: 'error', imageReference: 'registry.example.com/group/private/app:latest', fields: { policies: 'always' } },
  },
  {
    title: 'system failure with a project access token (gitlab#259663)',
    lines: ['ERROR: Job failed (system failure): Error response from daemon: Get https://registry.example.com/v2/group/app/manifests/latest: unauthorized: HTTP Basic: Access denied (docker.go:142:0s)'],
    event: { level: 'error', fields: { failure: 'system failure', error_code: 'unauthorized' } },
  },
  {
    title: 'a script line echo of a docker push',
    lines: ['$ docker push registry.example.com/group/app:latest'],
    event: { component: 'runner', imageReference: 'registry.example.com/group/app:latest', fields: { command: 'docker push registry.example.com/group/app:latest' } },
  },
  {
    title: 'kaniko starts its push',
    lines: ['INFO[0005] Pushing image to registry.example.com/group/app:1.2.0'],
    event: { component: 'kaniko', level: 'info', imageReference: 'registry.example.com/group/app:1.2.0', message: 'Pushing image to registry.example.com/group/app:1.2.0' },
  },
  {
    title: 'kaniko gives up on the push',
    lines: ['error pushing image: failed to push to destination registry.example.com/group/app:1.2.0: PATCH https://registry.example.com/v2/group/app/blobs/uploads/5d1e8a7c-3f43-4b3b-9a3c-4f5e6a7b8c9d: unexpected status code 401 Unauthorized'],
    event: { component: 'kaniko', level: 'error', imageReference: 'registry.example.com/group/app:1.2.0' },
  },
]

const BUILDKIT_EXAMPLES: readonly SourceExample<DockerEvent>[] = [
  {
    title: 'BuildKit plain progress: a build step',
    lines: ['#5 [2/3] RUN apk add --no-cache curl'],
    event: { component: 'buildkit', format: 'buildkit', message: '[2/3] RUN apk add --no-cache curl', fields: { step: '5' } },
  },
  {
    title: 'BuildKit pushing the manifest of the image',
    lines: ['#12 pushing manifest for registry.example.com/group/app:1.2.0@sha256:5d9f1a3c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f 0.2s done'],
    event: { component: 'buildkit', imageReference: 'registry.example.com/group/app:1.2.0', fields: { step: '12' } },
  },
  {
    title: 'BuildKit push refused by object storage after the redirect (containerd names the storage URL)',
    lines: [
      '#12 ERROR: failed to push registry.example.com/group/app:1.2.0: unexpected status from HEAD request to https://registry-bucket.s3.eu-central-1.amazonaws.com/docker/registry/v2/blobs/sha256/4a/4abcf20661432fb2d719aaf90656f55c287f8ca915dc1c92ec14ff61e67fbaf8/data?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=1200: 403 Forbidden',
    ],
    event: {
      component: 'buildkit', level: 'error', imageReference: 'registry.example.com/group/app:1.2.0',
      error: 'failed to push registry.example.com/group/app:1.2.0: unexpected status from HEAD request to https://registry-bucket.s3.eu-central-1.amazonaws.com/docker/registry/v2/blobs/sha256/4a/4abcf20661432fb2d719aaf90656f55c287f8ca915dc1c92ec14ff61e67fbaf8/data?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=1200: 403 Forbidden',
    },
  },
  {
    // Roave/DocbookTool#15: the failed step's summary, then the error buildx exits with.
    title: 'BuildKit summary after a failed push: the rule above the failed step',
    lines: ['------', ' > exporting to image:', '------'],
    event: { component: 'buildkit', message: '------' },
  },
  {
    title: 'BuildKit summary: the error buildx exits with',
    lines: ['error: failed to solve: unexpected status: 403 Forbidden'],
    event: { component: 'buildkit', level: 'error', error: 'unexpected status: 403 Forbidden' },
  },
  {
    title: 'BuildKit summary: the upper-case spelling of buildx ≥ 0.10',
    lines: ['ERROR: failed to solve: unexpected status: 403 Forbidden'],
    event: { component: 'buildkit', level: 'error', error: 'unexpected status: 403 Forbidden' },
  },
  {
    title: 'BuildKit TTY layout from a terminal copy: padding and duration dropped',
    lines: [' => ERROR [4/4] RUN make                                                                                        1.2s'],
    event: { component: 'buildkit', level: 'error', message: 'ERROR [4/4] RUN make' },
  },
  {
    title: 'kubectl describe pod: the kubelet could not pull the image (a private CA)',
    lines: [
      '  Warning  Failed     11s (x2 over 24s)  kubelet            Failed to pull image "registry.example.com/ci/builder:latest": failed to pull and unpack image "registry.example.com/ci/builder:latest": failed to resolve reference "registry.example.com/ci/builder:latest": failed to do request: Head "https://registry.example.com/v2/ci/builder/manifests/latest": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    ],
    event: {
      component: 'kubelet', format: 'kubelet-event', level: 'warning', imageReference: 'registry.example.com/ci/builder:latest',
      error: 'failed to pull and unpack image "registry.example.com/ci/builder:latest": failed to resolve reference "registry.example.com/ci/builder:latest": failed to do request: Head "https://registry.example.com/v2/ci/builder/manifests/latest": tls: failed to verify certificate: x509: certificate signed by unknown authority',
    },
  },
  {
    title: 'kubectl get events: the same message after age, type, reason and object',
    lines: ['2m          Normal    Pulling   pod/runner-abc-project-1-concurrent-0   Pulling image "registry.example.com/ci/builder:latest"'],
    event: { component: 'kubelet', imageReference: 'registry.example.com/ci/builder:latest', message: 'Pulling image "registry.example.com/ci/builder:latest"' },
  },
  {
    title: 'kubectl get events -A: the namespace comes first',
    lines: ['gitlab-runner   2m   Warning   Failed   pod/runner-abc-project-1-concurrent-0   Failed to pull image "registry.example.com/ci/builder:latest": x509: certificate signed by unknown authority'],
    event: { component: 'kubelet', imageReference: 'registry.example.com/ci/builder:latest', error: 'x509: certificate signed by unknown authority' },
  },
  {
    title: 'a shell prompt is not a BuildKit step',
    lines: ['# docker login gitlab.example.com:4567'],
    event: { component: 'cli' },
  },
]

export const dockerExamples: readonly SourceExample<DockerEvent>[] = [...SEED_EXAMPLES, ...CLI_EXAMPLES, ...DAEMON_RUNNER_KANIKO_EXAMPLES, ...BUILDKIT_EXAMPLES]
