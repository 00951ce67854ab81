// Posts the token once; the answer sets an HttpOnly, SameSite=Strict session cookie the admin API accepts.
document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('login-error');
  error.hidden = true;
  const answer = await fetch('/api/v1/gbm/admin/console/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-Gbm-Console': '1'},
    body: JSON.stringify({token: document.getElementById('token').value})
  });
  if (answer.ok) {
    location.replace('index.html');
    return;
  }
  if (answer.status === 429) {
    // Too many failed sign-ins from this address: the envelope's info says how long to wait.
    const body = await answer.json().catch(() => ({}));
    error.textContent = body.info || 'Too many failed sign-ins: try again later.';
  } else {
    error.textContent = answer.status === 403 ? 'Wrong token.' : 'Sign-in failed (HTTP ' + answer.status + ').';
  }
  error.hidden = false;
});
