import type { NextRequest } from 'next/server';
import { exportView } from '@/app/export/export-response';

/** GET /export/people.csv?q=&department=&office=&status=&sort=: the view as a spreadsheet (RFC 4180, UTF-8 with BOM). */
export async function GET(request: NextRequest) {
  return exportView(request, 'csv');
}
