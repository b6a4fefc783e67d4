// The role an account's calls are made as: assumed through STS with the account's base credential,
// its temporary keys cached and renewed before they expire (role-session.ts). Each cloud's config
// builds it from `credentials.role_arn` and its options.
import type { Endpoint } from '../../base/endpoint.js';

export interface RoleSettings {
  /** The role's ARN, in the cloud's own form (checked when the configuration is loaded). */
  arn: string;
  /** RoleSessionName: shows in the member account's audit log as who used the role. */
  sessionName: string;
  /** How long the temporary keys live; renewed before they expire. */
  durationSeconds: number;
  /** The ExternalId the role's trust policy asks for, if any. */
  externalId?: string;
  /** Where STS is called; when absent, derived from the account's endpoint (see the cloud's role.ts). */
  stsEndpoint?: Endpoint;
}

/**
 * The role an organization's credentials assume in each of its members: its name there (each member's
 * ARN is built by the cloud from the member's id) and how it is assumed.
 */
export interface MemberRole extends Omit<RoleSettings, 'arn' | 'stsEndpoint'> {
  /** The role's name in every member. */
  name: string;
}

/** The role one member's account assumes: the organization's member role, at that member's ARN. */
export function memberRoleAt(role: MemberRole, arn: string): RoleSettings {
  return {
    arn,
    sessionName: role.sessionName,
    durationSeconds: role.durationSeconds,
    ...(role.externalId === undefined ? {} : { externalId: role.externalId }),
  };
}

/** The shortest and longest durations both clouds accept (Alibaba's minimum, both clouds' maximum). */
export const ROLE_DURATION_LIMITS = { minSeconds: 900, maxSeconds: 43_200 } as const;

/** The AssumeRole parameters of a role: both clouds' STS name them alike (RoleArn, RoleSessionName, DurationSeconds, ExternalId). */
export function assumeRoleRequest(role: RoleSettings): {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds: number;
  ExternalId?: string;
} {
  return {
    RoleArn: role.arn,
    RoleSessionName: role.sessionName,
    DurationSeconds: role.durationSeconds,
    ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
  };
}

/**
 * What an AssumeRole error must never show (issue 21, finding 8), for the STS client's redaction
 * list: the base credential's secrets and the role's external id (an STS, or whatever answers in its
 * place, may echo the request).
 */
export function assumeRoleSecrets(role: RoleSettings, base: () => readonly string[]): () => readonly string[] {
  return () => [...base(), ...(role.externalId === undefined ? [] : [role.externalId])];
}
