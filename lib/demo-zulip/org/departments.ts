// Departments and their job ladders. The order of DEPARTMENTS is the order of the Department
// field's options. Titles are chosen by a person's place in the tree (head, director, manager,
// individual contributor) so that "VP of Engineering" manages "Engineering Manager"s who manage
// "Senior Software Engineer"s.

export interface Department {
  name: string;
  /** Share of the company (the CEO's Executive department is not weighted). */
  weight: number;
  head: string;
  /** Department-specific manager title for a team lead. */
  manager: string;
  /** Noun used in "Director of …". */
  area: string;
  /** Individual-contributor titles with relative frequency. */
  ics: ReadonlyArray<readonly [string, number]>;
  /** How likely someone here fills in the GitHub field. */
  githubShare: number;
}

export const EXECUTIVE = 'Executive';

export const DEPARTMENTS: readonly Department[] = [
  {
    name: 'Engineering', weight: 38, head: 'VP of Engineering', manager: 'Engineering Manager', area: 'Engineering',
    ics: [
      ['Software Engineer', 22], ['Senior Software Engineer', 24], ['Staff Software Engineer', 6], ['Principal Engineer', 2],
      ['Site Reliability Engineer', 6], ['Frontend Engineer', 6], ['Backend Engineer', 6], ['QA Engineer', 4],
      ['Security Engineer', 3], ['Data Engineer', 4], ['Mobile Engineer', 4], ['Junior Software Engineer', 4],
      ['Machine Learning Engineer', 3],
    ],
    githubShare: 0.8,
  },
  {
    name: 'Product', weight: 8, head: 'VP of Product', manager: 'Group Product Manager', area: 'Product Management',
    ics: [['Product Manager', 10], ['Senior Product Manager', 6], ['Associate Product Manager', 3], ['Technical Program Manager', 3], ['Product Analyst', 3]],
    githubShare: 0.25,
  },
  {
    name: 'Design', weight: 5, head: 'Head of Design', manager: 'Design Manager', area: 'Design',
    ics: [['Product Designer', 10], ['Senior Product Designer', 6], ['UX Researcher', 3], ['Content Designer', 2], ['Brand Designer', 2]],
    githubShare: 0.3,
  },
  {
    name: 'Sales', weight: 15, head: 'VP of Sales', manager: 'Regional Sales Manager', area: 'Sales',
    ics: [['Account Executive', 10], ['Senior Account Executive', 5], ['Sales Development Representative', 8], ['Solutions Engineer', 4], ['Sales Operations Analyst', 2]],
    githubShare: 0.05,
  },
  {
    name: 'Marketing', weight: 8, head: 'VP of Marketing', manager: 'Marketing Manager', area: 'Marketing',
    ics: [['Product Marketing Manager', 5], ['Growth Marketer', 4], ['Content Strategist', 3], ['SEO Specialist', 2], ['Social Media Specialist', 2], ['Copywriter', 2], ['Marketing Analyst', 2], ['Events & Community Manager', 1]],
    githubShare: 0.1,
  },
  {
    name: 'Customer Success', weight: 12, head: 'VP of Customer Success', manager: 'Support Team Lead', area: 'Support',
    ics: [['Customer Success Manager', 8], ['Support Engineer', 8], ['Technical Account Manager', 4], ['Support Specialist', 6], ['Onboarding Specialist', 3]],
    githubShare: 0.15,
  },
  {
    name: 'Finance', weight: 4, head: 'Chief Financial Officer', manager: 'Finance Manager', area: 'Finance',
    ics: [['Financial Analyst', 5], ['Senior Accountant', 3], ['Accountant', 4], ['Payroll Specialist', 2], ['FP&A Analyst', 2]],
    githubShare: 0.05,
  },
  {
    name: 'People', weight: 4, head: 'VP of People', manager: 'Recruiting Manager', area: 'People',
    ics: [['Recruiter', 5], ['Technical Recruiter', 4], ['People Partner', 3], ['HR Generalist', 2], ['Talent Coordinator', 2], ['People Operations Specialist', 2]],
    githubShare: 0.05,
  },
  {
    name: 'Legal', weight: 2, head: 'General Counsel', manager: 'Legal Operations Manager', area: 'Legal',
    ics: [['Corporate Counsel', 4], ['Senior Counsel', 2], ['Paralegal', 3], ['Compliance Analyst', 2], ['Privacy Counsel', 1]],
    githubShare: 0.03,
  },
  {
    name: 'Operations', weight: 4, head: 'Chief Operating Officer', manager: 'IT Manager', area: 'Operations',
    ics: [['IT Support Specialist', 5], ['Office Manager', 3], ['Workplace Coordinator', 2], ['Systems Administrator', 3], ['Business Operations Analyst', 2], ['Procurement Specialist', 1]],
    githubShare: 0.2,
  },
];

/** Option-list order of the Department field: the departments, then Executive (the CEO). */
export const DEPARTMENT_OPTIONS: readonly string[] = [...DEPARTMENTS.map((d) => d.name), EXECUTIVE];

/** A manager's title from the size of the organisation under them. */
export function managerTitle(dept: Department, reportsBelow: number): string {
  if (reportsBelow >= 120) return `Senior Director of ${dept.area}`;
  if (reportsBelow >= 30) return `Director of ${dept.area}`;
  if (reportsBelow >= 12) return `Senior ${dept.manager}`;
  return dept.manager;
}
