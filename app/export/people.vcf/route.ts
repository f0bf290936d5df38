import type { NextRequest } from 'next/server';
import { exportView } from '@/app/export/export-response';

/** GET /export/people.vcf?q=&department=&office=&status=&sort=: the view as vCards (RFC 6350), one per person. */
export async function GET(request: NextRequest) {
  return exportView(request, 'vcf');
}
