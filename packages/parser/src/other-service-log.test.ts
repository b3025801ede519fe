import { describe, expect, test } from 'vitest'
import { isOtherServiceName, otherServiceOf } from './other-service-log.js'

describe('otherServiceOf', () => {
  test.each([
    ['/var/log/gitlab/gitaly/current', 'gitaly'],
    ['/var/log/gitlab/gitaly/@4000000066335a2b1c2d3e4f.s', 'gitaly'],
    ['/var/log/gitlab/gitlab-workhorse/current', 'gitlab-workhorse'],
    ['/var/log/gitlab/postgresql/current.1.gz', 'postgresql'],
    ['bundle\\var\\log\\gitlab\\praefect\\current', 'praefect'],
    ['/var/log/pods/gitlab_gitlab-gitaly-0_1f2e/gitaly/0.log', 'gitaly'],
    ['/var/log/containers/gitlab-webservice-default-7d9f_gitlab_gitlab-workhorse-' + 'a'.repeat(64) + '.log', 'gitlab-workhorse'],
  ])('%s is a %s log', (path, service) => {
    expect(otherServiceOf(path)).toBe(service)
  })

  test.each([
    '/var/log/gitlab/registry/current',
    '/var/log/gitlab/nginx/gitlab_registry_access.log',
    '/var/log/gitlab/gitlab-rails/production_json.log',
    '/var/log/gitlab/sidekiq/current',
    '/var/log/gitlab/puma/puma_stderr.log',
    '/var/log/pods/gitlab_gitlab-registry-5c8_9a/registry/0.log',
    '/var/log/containers/gitlab-registry-5c8_gitlab_registry-' + 'b'.repeat(64) + '.log',
    'gitaly',
    'job.log',
  ])('%s is read', (path) => {
    expect(otherServiceOf(path)).toBeUndefined()
  })

  test.each([
    ['gitaly', true], ['gitaly-1', true], ['gitlab_gitaly_1', true], ['gitlab-gitlab-workhorse-2', true],
    ['gitlab_gitaly.1.68gouhg7nolw@node02', true], ['registry', false], ['registry-1', false], ['gitlab', false], ['gitlab-registry-1', false],
  ])('container %s is another service: %s', (name, expected) => {
    expect(isOtherServiceName(name)).toBe(expected)
  })
})
