/** An organisation as the login page lists it (GET /api/auth/organisations) and the session names it. */
export interface OrganisationChoice {
  /** What the login sends as `organisation`. */
  code: string;
  name: string;
}

/** One organisation on the platform administrator's 组织管理 page: its counts, never its data. */
export interface OrganisationAdminView {
  id: number;
  code: string;
  name: string;
  /** The deployment's own organisation (the database of DIAODU_DATABASE_URL): it cannot be archived. */
  home: boolean;
  archivedAt: string | null;
  accounts: number;
  plans: number;
  rounds: number;
}

/** POST /api/platform/organisations: the new organisation and its first system administrator's temporary password, shown once. */
export interface OrganisationCreatedView {
  organisation: OrganisationAdminView;
  admin: { username: string; displayName: string };
  temporaryPassword: string;
}
