import { detectFieldRoles, type FieldRoles } from '@/lib/directory/domain/field-roles';
import { toPerson, userIdsIn, withdrawnOption } from '@/lib/directory/domain/to-person';
import { inertText } from '@/lib/directory/domain/safe-text';
import { isDummyAddress, STRICTEST_EMAIL_RULE, type EmailRule } from '@/lib/directory/domain/email-visibility';
import type { FieldDefinition, Person } from '@/lib/directory/domain/types';
import type { FieldRecord, StatusRecord, UserChanges, UserRecord, ZulipUpdate } from '@/lib/zulip/records';

export interface DirectorySnapshot {
  users: UserRecord[];
  fields: FieldRecord[];
  statuses: Map<number, StatusRecord>;
  realmUrl: string;
  /** Who is listed and which addresses are shown; what is left out is the strictest choice. */
  policy?: Partial<DirectoryPolicy>;
}

/**
 * The directory shows no viewer more than Zulip shows an ordinary member (docs/zulip.md §f):
 * guests are left out unless the operator allows them (DIRECTORY_ALLOW_GUESTS), and real
 * addresses follow `emailRule` (email-visibility.ts).
 */
export interface DirectoryPolicy {
  allowGuests: boolean;
  emailRule: EmailRule;
  /** The bot's own user id: a change of its role makes the rule strictest until the next snapshot. */
  ownUserId: number | null;
  /** DIRECTORY_WORKING_HOURS: the hours of people whose profile gives none. */
  defaultWorkingHours: string | null;
  /** DIRECTORY_HIDDEN_FIELDS: field names (any case) or ids never used, shown or sent (docs/architecture.md §18). */
  hiddenFields: string[];
}

const DEFAULT_POLICY: DirectoryPolicy = { allowGuests: false, emailRule: STRICTEST_EMAIL_RULE, ownUserId: null, defaultWorkingHours: null, hiddenFields: [] };

const ROLE_GUEST = 600;

/** Someone who has left, as the org chart names them (former()). */
export interface FormerPerson {
  id: number;
  name: string;
  managerIds: number[];
  /** A guest who left: named only where this instance's own settings list guests (a follower's may differ from the leader's). */
  isGuest?: boolean;
}

/**
 * One person as another instance of the directory receives them (docs/architecture.md §10): only
 * what a member may see, derived here, never Zulip's record (which holds addresses members may
 * not see, and guests the directory does not list).
 */
export interface ReplicaRecord {
  id: number;
  /** Listed: the person as every viewer sees them; null when not (left, or not listed). */
  person: Person | null;
  /** Someone who left, for the org chart; null otherwise. */
  former: FormerPerson | null;
  /** The real address members may not see, as a keyed hash (never the address), for sign-in checks; null when there is none. */
  memberKey: string | null;
}

export interface PeopleReplica {
  fields: FieldRecord[];
  records: ReplicaRecord[];
}

/** How a real address becomes a member key (lib/server/cluster/deployment.ts). */
export type MemberKeyer = (email: string) => string;

/** Which ids an update re-derived; "all" when every person was (field definitions, the bot's role). */
export type Rederived = number[] | 'all';

/** The updates the people store applies; presence and realm updates belong elsewhere. */
export type PeopleUpdate = Extract<ZulipUpdate, { kind: 'user_added' | 'user_updated' | 'user_removed' | 'status_changed' | 'fields_changed' }>;

/**
 * Everyone in the organization, as Zulip last told us, kept current from events. Holds the user
 * records (so a field-definition change can re-derive every Person) and the derived people.
 * Bots and deactivated accounts are kept for lookups but never listed.
 */
export class PeopleStore {
  private raw = new Map<number, UserRecord>();
  private statuses = new Map<number, StatusRecord>();
  private definitions = new Map<number, FieldDefinition>();
  private fieldRecords: FieldRecord[] = [];
  private roles: FieldRoles = detectFieldRoles([]);
  private realmUrl = '';
  private people = new Map<number, Person>();
  /** Addresses anyone may look a listed person up by: the API email and the address shown. */
  private byEmail = new Map<string, number>();
  /** Real addresses the bot may read but members may not: for membership checks only, never for lookups a viewer makes. */
  private byMemberEmail = new Map<string, number>();
  private memberEmailOf = new Map<number, string>();
  /**
   * Set while this store holds another instance's replica (adoptReplica): byMemberEmail is then
   * keyed by member keys, not addresses, and people who left come from `formers`.
   */
  private replica: { keyOf: MemberKeyer; formers: Map<number, FormerPerson>; leaderRoles: FieldRoles } | null = null;
  private policy: DirectoryPolicy = DEFAULT_POLICY;
  /** Ids (as text) of the fields DIRECTORY_HIDDEN_FIELDS names, among the current definitions. */
  private hiddenFieldIds: ReadonlySet<string> = new Set();
  private avatarOriginsCache: { version: number; origins: string[] } | null = null;
  private listed: Person[] | null = null;
  /** Bumped on every change; caches (search index, facets) key on it. */
  version = 0;
  private statusChanges = 0;

  /**
   * Bumped on every change but a status (each of which bumps `version` once): names, manager
   * fields, who is listed. The org chart's index keys on it, so a status set does not rebuild it.
   */
  get structureVersion(): number {
    return this.version - this.statusChanges;
  }

  replaceAll(snapshot: DirectorySnapshot): void {
    this.replica = null;
    this.policy = { ...DEFAULT_POLICY, ...snapshot.policy };
    this.realmUrl = snapshot.realmUrl;
    this.raw = new Map(snapshot.users.map((u) => [u.id, u]));
    this.statuses = new Map(snapshot.statuses);
    this.setDefinitions(snapshot.fields);
  }

  /** Everyone another instance needs, as member-visible records (docs/architecture.md §10). */
  exportReplica(keyOf: MemberKeyer): PeopleReplica {
    const records: ReplicaRecord[] = [];
    for (const id of this.replica ? this.people.keys() : this.raw.keys()) {
      const record = this.replicaRecord(id, keyOf);
      if (record.person || record.former) records.push(record);
    }
    if (this.replica) for (const former of this.replica.formers.values()) records.push({ id: former.id, person: null, former, memberKey: null });
    return { fields: this.fieldRecords, records };
  }

  /** One person's record for another instance, as it is now (a record with neither person nor former removes them there). */
  replicaRecord(id: number, keyOf: MemberKeyer): ReplicaRecord {
    const person = this.people.get(id) ?? null;
    const memberEmail = this.memberEmailOf.get(id);
    const memberKey = memberEmail === undefined ? null : this.replica ? memberEmail : keyOf(memberEmail);
    return { id, person, former: person ? null : (this.former(id) ?? null), memberKey: person ? memberKey : null };
  }

  /**
   * Replaces everything with another instance's records (already checked one by one). Guests are
   * kept only where this instance's own settings list them, and the fields its own settings hide
   * are dropped; `keyOf` finds a member by a real address the records carry only as a key.
   */
  adoptReplica(replica: PeopleReplica, options: { allowGuests: boolean; keyOf: MemberKeyer; hiddenFields: string[] }): void {
    this.raw.clear();
    this.statuses.clear();
    this.policy = { ...DEFAULT_POLICY, allowGuests: options.allowGuests, hiddenFields: options.hiddenFields };
    // The roles the leader read its people's fields with: a field this instance hides takes what it gave with it.
    this.replica = { keyOf: options.keyOf, formers: new Map(), leaderRoles: detectFieldRoles(replica.fields.map(fieldDefinition)) };
    this.setDefinitions(replica.fields);
    for (const record of replica.records) this.place(record);
    this.changed();
  }

  /** One record from another instance replaces what this store holds for that id. */
  applyReplica(record: ReplicaRecord): void {
    if (!this.replica) return;
    const before = this.people.get(record.id);
    this.forget(record.id);
    this.replica.formers.delete(record.id);
    this.place(record);
    // A status set arrives as the whole person: counted as one, as on the leader, so the org chart is not rebuilt for it.
    const after = this.people.get(record.id);
    if (before && after && sameButStatus(before, after)) this.statusChanges++;
    this.changed();
  }

  private place(record: ReplicaRecord): void {
    const person = record.person && this.withoutHiddenFields(record.person);
    if (person && (!person.isGuest || this.policy.allowGuests)) {
      this.index(person);
      if (record.memberKey) {
        this.byMemberEmail.set(record.memberKey, person.id);
        this.memberEmailOf.set(person.id, record.memberKey);
      }
    } else if (record.former && (!record.former.isGuest || this.policy.allowGuests)) this.replica?.formers.set(record.id, record.former);
  }

  /** Applies one of Zulip's updates; which people it re-derived. */
  apply(update: PeopleUpdate): Rederived {
    switch (update.kind) {
      case 'fields_changed':
        this.setDefinitions(update.fields);
        return 'all';
      case 'status_changed':
        // Zulip sends only the changed keys.
        this.statuses.set(update.userId, { ...this.statuses.get(update.userId), ...update.status });
        this.statusChanges++;
        this.rederive(update.userId);
        return [update.userId];
      case 'user_added': {
        // Zulip announces an account with empty profile data, values following as updates; before
        // 8.0 a reactivation arrives this way too, though the person keeps their values (docs/zulip.md §e).
        const known = this.raw.get(update.user.id);
        const keepProfile = known !== undefined && Object.keys(update.user.profile).length === 0;
        this.raw.set(update.user.id, keepProfile ? { ...update.user, profile: known.profile } : update.user);
        this.rederive(update.user.id);
        return [update.user.id];
      }
      case 'user_removed': {
        // Before Zulip 8.0 this is how a deactivation arrives (docs/zulip.md §e): keep the record,
        // as GET /users would, so someone who left can still be named (former()).
        const user = this.raw.get(update.userId);
        if (user) this.raw.set(update.userId, { ...user, isActive: false });
        this.rederive(update.userId);
        return [update.userId];
      }
      case 'user_updated':
        if (update.userId === this.policy.ownUserId && update.changes.role !== undefined && this.policy.emailRule.by === 'person') {
          // What Zulip sent so far was for the old role: trust only what it shows everyone.
          this.policy = { ...this.policy, emailRule: STRICTEST_EMAIL_RULE };
          this.applyUserChanges(update.userId, update.changes);
          this.rebuild();
          return 'all';
        }
        this.applyUserChanges(update.userId, update.changes);
        this.rederive(update.userId);
        return [update.userId];
    }
  }

  get(id: number): Person | undefined {
    return this.people.get(id);
  }

  /**
   * Resolves what a viewer may look someone up by (a user id, a Zulip API email, or a real
   * address the directory shows; case-insensitive) to a listed person. A hidden address finds
   * no one: a lookup by it would tell whose it is.
   */
  resolve(ref: string): Person | undefined {
    const trimmed = ref.trim();
    const id = /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : this.byEmail.get(trimmed.toLowerCase());
    return id === undefined ? undefined : this.people.get(id);
  }

  /**
   * The listed person a real address belongs to, including real addresses hidden from members:
   * for checking who is signing in (a proxy's header, Zulip's answer to a sign-in), never for
   * lookups a viewer asks for.
   */
  resolveMember(email: string): Person | undefined {
    const key = email.trim().toLowerCase();
    // A dummy API email (`user{id}@{realm host}`) is no one's address: a proxy's or SSO's user who
    // could take it as theirs would otherwise be signed in as that person (docs/zulip.md §f).
    const byApiEmail = this.byEmail.get(key);
    const real = byApiEmail !== undefined && !isDummyAddress({ id: byApiEmail, apiEmail: key }) ? byApiEmail : undefined;
    const id = real ?? this.byMemberEmail.get(this.replica ? this.replica.keyOf(key) : key);
    return id === undefined ? undefined : this.people.get(id);
  }

  /**
   * The origins (scheme, host, port) of every listed person's avatar: the Zulip server, Gravatar,
   * or the organization's upload storage. The Content-Security-Policy allows images from these.
   */
  avatarOrigins(): string[] {
    if (this.avatarOriginsCache?.version === this.version) return this.avatarOriginsCache.origins;
    const origins = new Set<string>();
    for (const person of this.people.values()) {
      if (person.avatarUrl) origins.add(new URL(person.avatarUrl).origin);
    }
    this.avatarOriginsCache = { version: this.version, origins: [...origins].sort() };
    return this.avatarOriginsCache.origins;
  }

  /**
   * Someone who has left (deactivated in Zulip): their name and manager field, for the org
   * chart, which keeps the people under them placed. Zulip shows members deactivated users too
   * (GET /users lists everyone, docs/zulip.md §f); a bot, an unknown id, or a guest the directory
   * does not list is undefined, as it would be if active.
   */
  former(id: number): FormerPerson | undefined {
    if (this.replica) return this.replica.formers.get(id);
    const user = this.raw.get(id);
    if (!user || user.isBot || user.isActive) return undefined;
    const isGuest = user.isGuest || user.role === ROLE_GUEST;
    if (isGuest && !this.policy.allowGuests) return undefined;
    const manager = this.roles.manager;
    return { id, name: inertText(user.fullName), managerIds: manager === null ? [] : userIdsIn(user.profile[String(manager)]), ...(isGuest ? { isGuest } : {}) };
  }

  idForApiEmail(email: string): number | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  /** Active humans, in no particular order. */
  list(): Person[] {
    this.listed ??= [...this.people.values()];
    return this.listed;
  }

  fieldDefinitions(): FieldDefinition[] {
    return [...this.definitions.values()].sort((a, b) => a.order - b.order);
  }

  fieldRoles(): FieldRoles {
    return this.roles;
  }

  private setDefinitions(all: FieldRecord[]): void {
    // A hidden field is dropped here, before anything reads it: its definition, its role (a
    // hidden "Department" is no department) and, in derive(), every person's value.
    const hidden = new Set(this.policy.hiddenFields.map((f) => f.toLowerCase()));
    const fields = all.filter((f) => !hidden.has(String(f.id)) && !hidden.has(f.name.trim().toLowerCase()));
    this.hiddenFieldIds = new Set(all.filter((f) => !fields.includes(f)).map((f) => String(f.id)));
    this.fieldRecords = fields;
    this.definitions = new Map(fields.map((f) => [f.id, fieldDefinition(f)]));
    this.roles = detectFieldRoles([...this.definitions.values()]);
    this.forgetWithdrawnChoices();
    this.rebuild();
  }

  /**
   * Zulip deletes everyone's choice of an option taken out of a list and sends only the new list
   * (withdrawnOption): the choices are dropped here too, not only hidden, or an option added later
   * under the freed key (the web app gives it the highest key plus one) would take them.
   */
  private forgetWithdrawnChoices(): void {
    for (const [id, user] of this.raw) {
      const kept = Object.entries(user.profile).filter(([field, value]) => !withdrawnOption(this.definitions.get(Number(field)), value));
      if (kept.length < Object.keys(user.profile).length) this.raw.set(id, { ...user, profile: Object.fromEntries(kept) });
    }
  }

  private applyUserChanges(id: number, changes: UserChanges): void {
    const current = this.raw.get(id);
    if (!current) return;
    const { profileField, ...rest } = changes;
    const next: UserRecord = { ...current, ...rest };
    if (profileField) {
      next.profile = { ...current.profile };
      if (profileField.value === null || profileField.value === '') delete next.profile[String(profileField.id)];
      else next.profile[String(profileField.id)] = profileField.value;
    }
    if (rest.role !== undefined) next.isGuest = rest.role === 600;
    this.raw.set(id, next);
  }

  private rebuild(): void {
    this.people.clear();
    this.byEmail.clear();
    this.byMemberEmail.clear();
    this.memberEmailOf.clear();
    for (const id of this.raw.keys()) this.derive(id);
    this.changed();
  }

  private rederive(id: number): void {
    this.forget(id);
    this.derive(id);
    this.changed();
  }

  /** Takes one person out of every index (before deriving or placing them anew). */
  private forget(id: number): void {
    const old = this.people.get(id);
    if (!old) return;
    this.byEmail.delete(old.apiEmail.toLowerCase());
    if (old.email) this.byEmail.delete(old.email.toLowerCase());
    const memberEmail = this.memberEmailOf.get(id);
    if (memberEmail !== undefined) this.byMemberEmail.delete(memberEmail);
    this.memberEmailOf.delete(id);
    this.people.delete(id);
  }

  /**
   * A person from the leader, less the fields this instance's own DIRECTORY_HIDDEN_FIELDS names
   * (the leader hid its own): their values, and what the leader read from them — a hidden
   * "Department" is no department here, a hidden "Working hours" no hours, a hidden "Manager" no
   * reporting line.
   */
  private withoutHiddenFields(person: Person): Person {
    const hidden = this.hiddenFieldIds;
    if (hidden.size === 0 || !this.replica) return person;
    const roles = this.replica.leaderRoles;
    const gone = (role: keyof FieldRoles) => roles[role] !== null && hidden.has(String(roles[role]));
    const fields = Object.fromEntries(Object.entries(person.fields).filter(([id]) => !hidden.has(id)));
    return {
      ...person,
      fields,
      pronouns: gone('pronouns') ? null : person.pronouns,
      title: gone('title') ? null : person.title,
      department: gone('department') ? null : person.department,
      office: gone('office') ? null : person.office,
      managerIds: gone('manager') ? [] : person.managerIds,
      // Hours the person wrote in the hidden field are gone; the organization's default hours (no field written) stay.
      workingHours: gone('workingHours') && person.fields[String(roles.workingHours)] !== undefined ? null : person.workingHours,
    };
  }

  private index(person: Person): void {
    this.people.set(person.id, person);
    this.byEmail.set(person.apiEmail.toLowerCase(), person.id);
    if (person.email) this.byEmail.set(person.email.toLowerCase(), person.id);
  }

  private derive(id: number): void {
    const user = this.raw.get(id);
    if (!user || user.isBot || !user.isActive) return;
    // Guests are not staff: not listed, and so not members for access either.
    if ((user.isGuest || user.role === ROLE_GUEST) && !this.policy.allowGuests) return;
    const person = toPerson(user, {
      roles: this.roles,
      fields: this.definitions,
      realmUrl: this.realmUrl,
      status: this.statuses.get(id),
      emailRule: this.policy.emailRule,
      defaultWorkingHours: this.policy.defaultWorkingHours,
      hiddenFieldIds: this.hiddenFieldIds,
    });
    this.index(person);
    if (user.deliveryEmail) {
      const memberEmail = user.deliveryEmail.trim().toLowerCase();
      this.byMemberEmail.set(memberEmail, id);
      this.memberEmailOf.set(id, memberEmail);
    }
  }

  private changed(): void {
    this.listed = null;
    this.version++;
  }
}

/** The same person but for their status (what it says and means). */
function sameButStatus(a: Person, b: Person): boolean {
  const withoutStatus = (p: Person) => JSON.stringify({ ...p, status: null, statusMeaning: null });
  return withoutStatus(a) === withoutStatus(b);
}

/** A field as the store holds it: its name and hint made inert (safe-text.ts). */
function fieldDefinition(f: FieldRecord): FieldDefinition {
  return { ...f, name: inertText(f.name), hint: inertText(f.hint) };
}
