import { useState, type FormEvent } from 'react';
import { verifyApiKey } from '../api-key';

export function SignIn({
  notice,
  onSignIn,
}: {
  notice: string | null;
  onSignIn: (key: string) => void;
}) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) return setError('Paste an API key.');
    setChecking(true);
    const result = await verifyApiKey(trimmed);
    setChecking(false);
    if (result.ok) onSignIn(trimmed);
    else setError(result.message);
  };

  return (
    <main className="sign-in">
      <form className="panel" onSubmit={(e) => void submit(e)}>
        <h1>Quorum</h1>
        <p className="muted">
          Sign in with an API key of your workspace (READ, and SUBSCRIBE for live updates). It is
          kept in this tab until you sign out or close it.
        </p>
        {notice && <p className="notice">{notice}</p>}
        <label>
          API key
          <input
            name="apiKey"
            type="password"
            autoComplete="off"
            placeholder="qk_…"
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
