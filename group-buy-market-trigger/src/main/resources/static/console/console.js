// The operators' console: plain DOM, no build step. Every value from the server is put in with textContent.
'use strict';

const API = '/api/v1/gbm/admin/';
const PAGE_SIZE = 50;
const ATTEMPT_PAGE = 20;
// Status labels, from status-labels.json: the one table the admin API's refusals name status values from too. Until
// it is read (or if it cannot be), a status shows as its code.
let TASK_STATUS = {}, TEAM_STATUS = {}, ORDER_STATUS = {}, ACTIVITY_STATUS = {}, JOB_STATUS = {};

async function loadLabels() {
  const answer = await fetch('status-labels.json', {credentials: 'same-origin'});
  ({notifyTask: TASK_STATUS = {}, team: TEAM_STATUS = {}, order: ORDER_STATUS = {}, activity: ACTIVITY_STATUS = {},
    importJob: JOB_STATUS = {}} = await answer.json());
}
const view = document.getElementById('view');
let timers = [];

async function api(path, method = 'GET') {
  const headers = method === 'GET' ? {} : {'X-Gbm-Console': '1'};
  const answer = await fetch(API + path, {method, credentials: 'same-origin', headers});
  if (answer.status === 403) {
    location.replace('login.html');
    throw new Error('signed out');
  }
  const body = await answer.json();
  if (body.code !== '0000') {
    throw new Error(body.code + ' ' + body.info);
  }
  return body.data;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'onclick') node.addEventListener('click', value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(child === null || child === undefined ? '' : String(child)));
  }
  return node;
}

function table(headers, rows, id) {
  return el('table', {id}, el('thead', {}, el('tr', {}, ...headers.map(h => el('th', {}, h)))), el('tbody', {}, ...rows));
}

function empty(text, id) {
  return el('p', {class: 'empty', id}, text);
}

function pager(page, data, go, id) {
  const pages = Math.max(1, Math.ceil(data.total / data.size));
  return el('div', {class: 'pager', id},
    el('button', {type: 'button', id: id + '-prev', disabled: page <= 0 ? 'disabled' : null, onclick: () => go(page - 1)}, '‹ Previous'),
    el('span', {id: id + '-label'}, 'page ' + (page + 1) + ' of ' + pages + ' (' + data.total + ')'),
    el('button', {type: 'button', id: id + '-next', disabled: page + 1 >= pages ? 'disabled' : null, onclick: () => go(page + 1)}, 'Next ›'));
}

function progressOf(p) {
  if (!p) return el('span', {}, '—');
  const total = p.total >= 0 ? p.total : '?';
  const box = el('span', {class: 'progress', 'data-state': p.state},
    el('progress', {max: p.total > 0 ? p.total : 1, value: p.total > 0 ? p.done : (p.state === 'DONE' ? 1 : 0)}),
    p.state + ' ' + p.done + ' / ' + total + (p.error ? ' — ' + p.error : ''));
  return box;
}

function clock(seconds) {
  const s = Math.max(0, seconds);
  const pad = n => String(n).padStart(2, '0');
  return pad(Math.floor(s / 3600)) + ':' + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60);
}

function show(...nodes) {
  timers.forEach(clearInterval);
  timers = [];
  view.replaceChildren(...nodes);
}

function failed(error) {
  show(el('p', {class: 'error', id: 'load-error'}, 'Could not load: ' + error.message));
}

// An operator's action (re-drive, run, sign out) that the service refused or could not do is said so; silent, the
// operator took it for done.
const actionError = document.getElementById('action-error');

function refused(what, error) {
  actionError.textContent = what + ': ' + error.message;
  actionError.hidden = false;
}

// The button waits while its action runs: a double click sent it twice, and the second was refused (a re-drive's
// E0302) although the first had done it.
function action(what, work) {
  return async (event) => {
    const button = event && event.currentTarget;
    if (button) button.disabled = true;
    actionError.hidden = true;
    try {
      await work();
    } catch (error) {
      refused(what, error);
    } finally {
      if (button) button.disabled = false;
    }
  };
}

// ---- activities and their teams

async function activities(page = 0) {
  const data = await api('console/activities?page=' + page + '&size=' + PAGE_SIZE);
  const rows = data.items.map(a => el('tr', {},
    el('td', {}, el('a', {href: '#teams/' + a.activityId, class: 'activity-link'}, a.activityId)),
    el('td', {}, a.activityName), el('td', {}, ACTIVITY_STATUS[a.status] ?? a.status),
    el('td', {}, a.target), el('td', {}, a.validMinutes + ' min'), el('td', {}, a.takeLimitCount),
    el('td', {}, a.startTime), el('td', {}, a.endTime), el('td', {}, a.tagId ?? '')));
  show(el('h2', {}, 'Activities'),
    rows.length ? table(['activity', 'name', 'status', 'team size', 'team validity', 'per user', 'start', 'end', 'tag'], rows, 'activities')
      : empty('No activities.', 'activities-empty'),
    pager(page, data, activities, 'activities-pager'));
}

async function teams(activityId, page = 0, status = '0') {
  const query = status === 'all' ? '&all=true' : '&status=' + status;
  const data = await api('console/activities/' + encodeURIComponent(activityId) + '/teams?page=' + page + '&size=' + PAGE_SIZE + query);
  const loadedAt = Date.now();
  const countdowns = [];
  const rows = data.items.map(({team, secondsLeft}) => {
    const countdown = el('span', {class: 'countdown'}, clock(secondsLeft));
    countdowns.push([countdown, secondsLeft]);
    // A team carries its member count and its first few members only (up to 10,000 per team); the rest page on
    // the team's own members view.
    const members = team.members.map(memberLine);
    if (team.memberCount > team.members.length) {
      members.push(el('a', {href: '#members/' + team.teamId, class: 'members-link'}, 'all ' + team.memberCount + ' members ›'));
    }
    return el('tr', {class: 'team'},
      el('td', {}, team.teamId), el('td', {}, TEAM_STATUS[team.status] ?? team.status),
      el('td', {class: 'places'}, team.lockCount + ' / ' + team.targetCount + ' locked, ' + team.completeCount + ' paid'),
      el('td', {}, countdown), el('td', {}, team.validEndTime),
      el('td', {class: 'wrap'}, ...members.flatMap((m, i) => i ? [el('br'), m] : [m])));
  });
  const filter = el('select', {id: 'team-status'}, ...['0', '1', '2', '3', 'all'].map(s =>
    el('option', {value: s, selected: s === status ? 'selected' : null}, s === 'all' ? 'all' : TEAM_STATUS[s] ?? s)));
  filter.addEventListener('change', () => teams(activityId, 0, filter.value).catch(failed));
  show(el('h2', {}, 'Teams of activity ' + activityId),
    el('div', {class: 'toolbar'}, el('a', {href: '#activities'}, '‹ activities'), 'status', filter),
    rows.length ? table(['team', 'status', 'places', 'closes in', 'window end', 'members'], rows, 'teams')
      : empty('No teams with this status.', 'teams-empty'),
    pager(page, data, p => teams(activityId, p, status), 'teams-pager'));
  timers.push(setInterval(() => {
    const gone = Math.floor((Date.now() - loadedAt) / 1000);
    countdowns.forEach(([node, left]) => { node.textContent = clock(left - gone); });
  }, 1000));
}

function memberLine(m) {
  return m.userId + ' · ' + m.outTradeNo + ' · ' + (ORDER_STATUS[m.status] ?? m.status) + ' · ' + m.source + '/' + m.channel;
}

async function members(teamId, page = 0) {
  const data = await api('console/teams/' + encodeURIComponent(teamId) + '/members?page=' + page + '&size=' + PAGE_SIZE);
  const rows = data.items.map(m => el('tr', {class: 'member'},
    el('td', {}, m.userId), el('td', {}, m.outTradeNo), el('td', {}, m.orderId),
    el('td', {}, ORDER_STATUS[m.status] ?? m.status), el('td', {}, m.source + '/' + m.channel), el('td', {}, m.lockedAt)));
  show(el('h2', {}, 'Members of team ' + teamId),
    el('div', {class: 'toolbar'}, el('button', {type: 'button', id: 'members-back', onclick: () => history.back()}, '‹ teams')),
    rows.length ? table(['user', 'out trade number', 'order', 'status', 'partner', 'locked at'], rows, 'members')
      : empty('No members.', 'members-empty'),
    pager(page, data, p => members(teamId, p), 'members-pager'));
}

// ---- notify tasks, attempts, re-drive

async function tasks(page = 0, status = '') {
  const query = status === '' ? '' : '&status=' + status;
  const data = await api('console/notify/tasks?page=' + page + '&size=' + PAGE_SIZE + query);
  const rows = [];
  for (const t of data.items) {
    const actions = el('td', {},
      el('button', {type: 'button', class: 'attempts-button', 'data-task': t.id, onclick: () => toggleAttempts(t.id, row)}, 'attempts'));
    if (t.notifyStatus === 3) {
      actions.append(' ', el('button', {type: 'button', class: 'redrive-button', 'data-task': t.id,
        onclick: action('Re-drive of task ' + t.id + ' not done',
          async () => { await api('notify/tasks/' + t.id + '/redrive', 'POST'); await tasks(page, status); })}, 'Re-drive'));
    }
    const row = el('tr', {class: 'task', 'data-task': t.id},
      el('td', {}, t.id), el('td', {}, t.teamId), el('td', {}, t.notifyCategory), el('td', {class: 'wrap'}, t.notifyUrl ?? 'MQ'),
      el('td', {class: 'status-' + t.notifyStatus + ' task-status'}, TASK_STATUS[t.notifyStatus] ?? t.notifyStatus),
      el('td', {}, t.notifyCount), el('td', {}, t.nextAttemptTime), el('td', {class: 'wrap'}, t.lastError ?? ''), actions);
    rows.push(row);
  }
  const filter = el('select', {id: 'task-status'}, el('option', {value: ''}, 'all'),
    ...Object.entries(TASK_STATUS).map(([k, v]) => el('option', {value: k, selected: k === status ? 'selected' : null}, v)));
  filter.addEventListener('change', () => tasks(0, filter.value).catch(failed));
  const bulk = el('span', {id: 'redrive-all-progress'});
  const redriveAll = el('button', {type: 'button', id: 'redrive-all', onclick: action('Re-drive of every FAIL task not started', async () => {
    const progress = await api('notify/redrive-failed', 'POST');
    bulk.replaceChildren(progressOf(progress));
    watch('notify-redrive', bulk, () => tasks(page, status));
  })}, 'Re-drive every FAIL task');
  show(el('h2', {}, 'Notify tasks'),
    el('div', {class: 'toolbar'}, 'status', filter, redriveAll, bulk),
    rows.length ? table(['id', 'team', 'category', 'target', 'status', 'attempts', 'next attempt', 'last error', ''], rows, 'tasks')
      : empty('No notify tasks.', 'tasks-empty'),
    pager(page, data, p => tasks(p, status), 'tasks-pager'));
  const running = (await api('progress?kind=notify-redrive')).find(p => p.state === 'RUNNING' || p.state === 'QUEUED');
  if (running) {
    bulk.replaceChildren(progressOf(running));
    watch('notify-redrive', bulk, () => tasks(page, status));
  }
}

// A task's attempts come newest first, a page at a time (each re-drive adds a round of up to ~15).
async function toggleAttempts(taskId, row, page = 0, paging = false) {
  const next = row.nextElementSibling;
  if (next && next.classList.contains('attempts')) {
    next.remove();
    if (!paging) {
      return;
    }
  }
  const attempts = await api('notify/tasks/' + taskId + '/attempts?page=' + page + '&size=' + ATTEMPT_PAGE);
  const inner = attempts.length ? table(['#', 'time', 'HTTP', 'latency', 'delivered', 'error'], attempts.map(a => el('tr', {},
      el('td', {}, a.attemptNo), el('td', {}, a.attemptTime), el('td', {}, a.httpStatus ?? '—'),
      el('td', {}, a.latencyMs + ' ms'), el('td', {}, a.success ? 'yes' : 'no'), el('td', {class: 'wrap'}, a.error ?? ''))))
    : empty(page ? 'No older attempt.' : 'No attempt yet.');
  const pages = el('div', {class: 'pager'},
    el('button', {type: 'button', class: 'attempts-newer', disabled: page <= 0 ? 'disabled' : null,
      onclick: () => toggleAttempts(taskId, row, page - 1, true).catch(failed)}, '‹ Newer'),
    el('span', {}, 'newest first, page ' + (page + 1)),
    el('button', {type: 'button', class: 'attempts-older', disabled: attempts.length < ATTEMPT_PAGE ? 'disabled' : null,
      onclick: () => toggleAttempts(taskId, row, page + 1, true).catch(failed)}, 'Older ›'));
  row.after(el('tr', {class: 'attempts', 'data-task': taskId}, el('td', {colspan: 9}, inner, pages)));
}

/** Polls the progress of one kind of long work until it is over, then calls done. */
function watch(kind, into, done) {
  const timer = setInterval(async () => {
    const list = await api('progress?kind=' + kind);
    const current = list[0];
    if (!current) return;
    into.replaceChildren(progressOf(current));
    if (current.state === 'DONE' || current.state === 'FAILED') {
      clearInterval(timer);
      setTimeout(() => done().then(() => {
        const again = document.getElementById(into.id);
        if (again) again.replaceChildren(progressOf(current));
      }).catch(failed), 300);
    }
  }, 500);
  timers.push(timer);
}

// ---- crowd-tag imports

async function imports(page = 0) {
  const data = await api('console/tag-imports?page=' + page + '&size=' + PAGE_SIZE);
  const rows = data.items.map(({job, progress}) => {
    const cell = el('td', {class: 'import-progress'}, progressOf(progress));
    const run = job.status === 2 ? '' : el('button', {type: 'button', class: 'import-run', 'data-batch': job.batchId, onclick: action('Import ' + job.batchId + ' not run', async () => {
      cell.replaceChildren(progressOf(await api('tag-imports/' + encodeURIComponent('batch:' + job.batchId) + '/run', 'POST')));
      watchImport(job.batchId, cell, page);
    })}, 'Run');
    return el('tr', {class: 'import', 'data-batch': job.batchId},
      el('td', {}, job.batchId), el('td', {}, job.tagId), el('td', {}, job.tagName ?? ''),
      el('td', {}, JOB_STATUS[job.status] ?? job.status), el('td', {}, job.statistics), el('td', {}, job.updateTime),
      cell, el('td', {}, run));
  });
  show(el('h2', {}, 'Crowd-tag imports'),
    rows.length ? table(['batch', 'tag', 'name', 'status', 'members loaded', 'updated', 'progress (rows done / total)', ''], rows, 'imports')
      : empty('No crowd-tag import jobs.', 'imports-empty'),
    pager(page, data, imports, 'imports-pager'));
}

function watchImport(batchId, cell, page) {
  const timer = setInterval(async () => {
    const p = (await api('progress?kind=tag-import')).find(x => x.subject === batchId);
    if (!p) return;
    cell.replaceChildren(progressOf(p));
    if (p.state === 'DONE' || p.state === 'FAILED') {
      clearInterval(timer);
      setTimeout(() => imports(page).catch(failed), 300);
    }
  }, 500);
  timers.push(timer);
}

// ---- switches (read-only)

async function switches() {
  const s = await api('console/switches');
  show(el('h2', {}, 'Switches'),
    table(['switch', 'value', 'meaning'], [
      el('tr', {}, el('td', {}, 'degrade'), el('td', {id: 'switch-degrade'}, s.degrade ? 'ON' : 'off'),
        el('td', {}, 'group buying off: trials answer E0003')),
      el('tr', {}, el('td', {}, 'cut range'), el('td', {id: 'switch-cut-range'}, s.cutRangePercent + ' %'),
        el('td', {}, 'share of users admitted (stable hash); others E0004'))], 'switches'),
    el('p', {}, 'Read-only, from ' + s.source + ' at ' + s.readAt + '. Change them in configuration (gbm.switch.*) or with the live-switch admin API.'));
}

// ---- admin action audit (who did what)

async function audit(page = 0) {
  const list = await api('audit/actions?page=' + page + '&size=' + PAGE_SIZE);
  const rows = list.map(a => el('tr', {class: 'audit-action', 'data-id': a.id},
    el('td', {}, a.actedAt), el('td', {}, a.sharedToken ? '(holder of gbm.admin.token)' : a.operator),
    el('td', {}, a.method + ' ' + a.path + (a.query ? '?' + a.query : '')), el('td', {}, a.remoteAddress ?? ''),
    a.httpStatus == null
      ? el('td', {class: 'audit-outcome-unknown',
          title: 'running, or its outcome was never written: it may or may not have taken effect'}, 'outcome unknown')
      : el('td', {}, a.httpStatus + ' ' + (a.code ?? ''))));
  show(el('h2', {}, 'Admin actions'),
    rows.length ? table(['when', 'operator', 'action', 'from', 'answer'], rows, 'audit')
      : empty('No admin actions recorded.', 'audit-empty'),
    el('div', {class: 'pager', id: 'audit-pager'},
      el('button', {type: 'button', id: 'audit-pager-prev', disabled: page <= 0 ? 'disabled' : null, onclick: () => audit(page - 1).catch(failed)}, '‹ Previous'),
      el('span', {id: 'audit-pager-label'}, 'page ' + (page + 1)),
      el('button', {type: 'button', id: 'audit-pager-next', disabled: list.length < PAGE_SIZE ? 'disabled' : null, onclick: () => audit(page + 1).catch(failed)}, 'Next ›')));
}

// ---- routing

const routes = {activities, tasks, imports, switches, audit};

function route() {
  actionError.hidden = true;
  const [name, arg] = (location.hash.slice(1) || 'activities').split('/');
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('current',
    a.getAttribute('href') === '#' + (name === 'teams' || name === 'members' ? 'activities' : name)));
  // Own names only: routes['constructor'] (a link to #constructor) was Object, and the page stayed blank.
  const load = name === 'teams' ? teams(arg) : name === 'members' ? members(arg)
    : (Object.hasOwn(routes, name) ? routes[name] : activities)();
  load.catch(failed);
}

// Signed out only when the service says so (or the session had already ended: 403). Any other answer (503 E0401: the
// sign-out could not be recorded) left the session valid, the cookie in this browser included, while the console went
// to the sign-in page as if it had ended.
document.getElementById('logout').addEventListener('click', action('Not signed out, the session is still valid', async () => {
  const answer = await fetch(API + 'console/session', {method: 'DELETE', credentials: 'same-origin', headers: {'X-Gbm-Console': '1'}});
  if (!answer.ok && answer.status !== 403) {
    const body = await answer.json().catch(() => ({}));
    throw new Error((body.code ? body.code + ' ' + body.info : 'HTTP ' + answer.status) + '; try again');
  }
  location.replace('login.html');
}));
window.addEventListener('hashchange', route);
Promise.all([api('console/session'), loadLabels().catch(() => {})]).then(route).catch(() => {});
