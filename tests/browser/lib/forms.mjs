// Helpers for the request forms (/requests/<form>/<draft id>/<page>) and drafts: answers by input
// name, walking a form page by page, waiting for the autosave, reading IndexedDB. The requests are
// the demo roster's first person's (lib/signin.mjs), who signs in to send them.

import { STEP_TIMEOUT, formFields, waitForPathChange, submitButton } from './harness.mjs';
import { ALI } from './signin.mjs';

export { tabTo } from './harness.mjs';

/** A complete exemption request (eligible on 1403-07-15), by input name. */
export const EXEMPTION = {
  has_sakha_code: 'true',
  national_id: ALI.national_id,
  mobile: ALI.mobile,
  sms_opt_in: 'true',
  residence_province: 'تهران',
  residence_city: 'تهران',
  residence_address: 'خیابان انقلاب، کوچه دانشگاه، پلاک ۱',
  postal_code: '',
  relatives: '',
  previous_level: 'diploma',
  'previous_graduation.day': '31',
  'previous_graduation.month': '4',
  'previous_graduation.year': '1403',
  // A code of GET /api/v1/universities (the demo data has the default university only).
  university: 'default',
  level: 'bachelor_continuous',
  'study_start.day': '۱',
  'study_start.month': '۷',
  'study_start.year': '۱۴۰۳',
  field_of_study: 'ریاضی',
  specialisation: '',
  institution_approved: 'true',
  unjustified_absence: 'false',
  prior_exemption_same_level: 'false',
  withdrew_from_same_level: 'true',
  withdrawn_renewals_used: '0',
  commission_extension: 'false',
};

/** The same request as the rules' pre-check input (the CLI oracle). */
export function exemptionPrecheckInput(today, answers = EXEMPTION) {
  return {
    today,
    level: answers.level,
    study_start: '1403-07-01',
    previous_graduation: '1403-04-31',
    institution_approved: answers.institution_approved === 'true',
    unjustified_absence: answers.unjustified_absence === 'true',
    prior_exemption_same_level: answers.prior_exemption_same_level === 'true',
    commission_extension: answers.commission_extension === 'true',
    abroad: null,
  };
}

/** A small valid PDF, a file that only claims to be one, and one over the 5 MiB limit. */
export const PDF = { name: 'withdrawal-form.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') };
export const PNG = { name: 'undertaking.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) };
export const FAKE_PDF = { name: 'virus.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00 this is not a PDF') };
export const HUGE_PDF = { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5 * 1024 * 1024, 0x20)]) };

/** A withdrawal request withdrawing early with a lost card (every page), by input name. */
export const WITHDRAWAL = {
  student_number: ALI.student_number,
  national_id: ALI.national_id,
  mobile: ALI.mobile,
  faculty: ALI.faculty,
  level: 'bachelor_continuous',
  reason: 'شروع به کار',
  withdrawal_form: PDF,
  early_withdrawal: 'true',
  early_withdrawal_form: PDF,
  student_card: 'lost',
  duplicate_card_requested: 'true',
  notarised_undertaking: PNG,
};

export const CLEARANCE = { national_id: ALI.national_id, mobile: ALI.mobile, reason: 'withdrawal', evening_course: 'true' };

/** The form page's slug from the URL (`check` on the check-answers page), or null. */
export function formPage(page) {
  const m = /^\/requests\/[a-z]+\/([0-9a-f-]+)\/([a-z-]+)$/.exec(new URL(page.url()).pathname);
  return m ? { id: m[1], slug: m[2] } : null;
}

/** Waits until a form page (or the check page) is drawn; its slug. */
export async function waitForFormPage(page) {
  await page.waitForFunction(() => /^\/requests\/[a-z]+\/[0-9a-f-]+\/[a-z-]+$/.test(location.pathname) &&
    document.querySelector('main h1'), null, { timeout: STEP_TIMEOUT });
  return formPage(page).slug;
}

/** Fills the named inputs of the page from `answers` (files are `{name, mimeType, buffer}`). */
export async function fillFormPage(page, answers) {
  for (const { name, type } of await formFields(page)) {
    if (name === 'import_draft') continue;
    const value = answers[name];
    if (value === undefined) throw new Error(`${page.url()} asks "${name}", which the answers do not give`);
    if (type === 'radio') await page.locator(`input[name="${name}"][value="${value}"]`).check();
    // A list (the university): Playwright waits for the option, which the server's list brings.
    else if (type === 'select-one') await page.locator(`select[name="${name}"]`).selectOption(value);
    else if (type === 'file') {
      await page.locator(`input[name="${name}"]`).setInputFiles(value);
      await page.locator(`[data-file-chosen="${name}"]`).waitFor();
    } else await page.locator(`[name="${name}"]`).fill(value);
  }
}

/**
 * Walks a form from `start` (default: a new draft) to its check-answers page, answering from
 * `answers`; `onPage(slug)` runs on each page before it is filled, `stopAt` stops on a page.
 * Returns the slugs visited.
 */
export async function walkForm(page, base, form, answers, { onPage, stopAt, start } = {}) {
  if (start !== false) await page.goto(base + (start ?? `/requests/${form}?new=1`));
  const visited = [];
  for (let i = 0; i < 30; i++) {
    const slug = await waitForFormPage(page);
    visited.push(slug);
    if (onPage) await onPage(slug);
    if (slug === 'check' || slug === stopAt) return visited;
    await fillFormPage(page, answers);
    const from = await page.evaluate(() => ({ path: location.pathname, h1: document.querySelector('h1')?.textContent ?? '' }));
    await (await submitButton(page)).click();
    await waitForPathChange(page, from, `${form}/${slug}`);
  }
  throw new Error(`${form}: no check page after 30 pages: ${visited.join(' → ')}`);
}

/** Waits until everything typed is saved in IndexedDB (not only kept in localStorage). */
export async function waitSaved(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-save-state]');
    return s && s.dataset.saveState === 'saved' &&
      Object.keys(localStorage).every((k) => !k.startsWith('pishkhan.pending.'));
  }, null, { timeout: STEP_TIMEOUT });
}

/** Every stored draft (raw, as IndexedDB holds it) and every attachment key. */
export async function readDrafts(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('pishkhan');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('drafts')) { db.close(); resolve({ drafts: [], attachments: [] }); return; }
      const tx = db.transaction(['drafts', 'attachments']);
      const drafts = tx.objectStore('drafts').getAll();
      const keys = tx.objectStore('attachments').getAllKeys();
      tx.oncomplete = () => { db.close(); resolve({ drafts: drafts.result, attachments: keys.result }); };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

/**
 * Writes a raw value into the drafts store (as an older app version would have). When the
 * database does not exist yet it is created as version 1 of the app made it (`drafts` and
 * `attachments` only), so the app's upgrade to its current version is exercised too.
 */
export async function writeRawDraft(page, value) {
  await page.evaluate((value) => new Promise((resolve, reject) => {
    const open = indexedDB.open('pishkhan');
    open.onupgradeneeded = () => {
      open.result.createObjectStore('drafts');
      open.result.createObjectStore('attachments');
    };
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('drafts', 'readwrite');
      tx.objectStore('drafts').put(value, value.id);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), value);
}

