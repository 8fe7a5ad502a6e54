/* scenario.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "scenario"

#include "config.h"

#include <string.h>

#include "scenario.h"

const Dialect scenario_dialects[] = {
  [MC_PROTOCOL_POP3] = {
    fake_pop3_server_new, "STLS$", "+OK Begin TLS negotiation\r\n", "CAPA$", "AUTH PLAIN ", "QUIT$",
    "+OK", "+OK Logged in\r\n",
  },
  [MC_PROTOCOL_IMAP] = {
    fake_imap_server_new, "STARTTLS$", "$TAG OK Begin TLS negotiation now.\r\n", "CAPABILITY$",
    "AUTHENTICATE PLAIN ", "LOGOUT$", "* OK", "$TAG OK Logged in\r\n",
  },
  [MC_PROTOCOL_SMTP] = {
    fake_smtp_server_new, "STARTTLS$", "220 2.0.0 Ready to start TLS\r\n", "EHLO ", "AUTH PLAIN ",
    "QUIT$", "220", "235 2.7.0 Authentication successful\r\n",
  },
};

const McProtocol every_protocol[3] = { MC_PROTOCOL_IMAP, MC_PROTOCOL_POP3, MC_PROTOCOL_SMTP };

void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->server, fake_server_free);
  g_clear_pointer (&outcome->result, mc_result_unref);
}

/* The fake server ------------------------------------------------------------ */

static FakeMode
scenario_mode (const Scenario *s)
{
  if (s->server_mode != NULL)
    {
      if (g_str_equal (s->server_mode, "plain"))
        return FAKE_MODE_PLAIN;
      if (g_str_equal (s->server_mode, "starttls"))
        return FAKE_MODE_STARTTLS;
      return FAKE_MODE_TLS;
    }
  switch (s->security)
    {
    case MC_SECURITY_TLS:
      return FAKE_MODE_TLS;
    case MC_SECURITY_STARTTLS:
      return FAKE_MODE_STARTTLS;
    case MC_SECURITY_NONE:
    default:
      return FAKE_MODE_PLAIN;
    }
}

static const char *
scenario_certificate (const Scenario *s)
{
  return s->certificate ? s->certificate : "good";
}

static const char *
scenario_user (const Scenario *s)
{
  return s->user ? s->user : FAKE_USER;
}

static const char *
scenario_password (const Scenario *s)
{
  return s->password ? s->password : FAKE_PASSWORD;
}

static FakeAction *
then_action (Then        then,
             const char *certificate)
{
  switch (then)
    {
    case THEN_TLS:
      return fake_start_tls (certificate);
    case THEN_STALL:
      return fake_stall ();
    case THEN_CLOSE:
      return fake_close ();
    case THEN_NOTHING:
    default:
      return NULL;
    }
}

static gboolean
twist_used (const Twist *t)
{
  return t->command != NULL || t->reply != NULL || t->later != NULL || t->then != THEN_NOTHING;
}

static void
add_twist (FakeServer     *server,
           const Scenario *s,
           const Twist    *t)
{
  FakeAction *steps[4] = { NULL, NULL, NULL, NULL };
  guint n = 0;

  if (t->reply != NULL)
    steps[n++] = t->reply_len ? fake_send_bytes (t->reply, t->reply_len) : fake_send (t->reply);
  if (t->pause_ms > 0)
    steps[n++] = fake_sleep (t->pause_ms);
  if (t->later != NULL)
    steps[n++] = fake_send (t->later);
  if (t->then != THEN_NOTHING)
    steps[n++] = then_action (t->then, scenario_certificate (s));

  fake_server_on (server, t->phase ? t->phase : FAKE_PHASE_PLAIN,
                  t->command ? t->command : scenario_dialects[s->protocol].upgrade,
                  steps[0], steps[1], steps[2], steps[3], NULL);
}

FakeServer *
scenario_server (const Scenario *s)
{
  const Dialect *d = &scenario_dialects[s->protocol];
  FakeMode mode = scenario_mode (s);
  FakeServer *server = d->make (mode);

  if (s->greeting != NULL)
    fake_server_set_greeting (server, s->greeting);
  if (s->caps_plain != NULL)
    fake_server_set_caps (server, FAKE_PHASE_PLAIN, s->caps_plain);
  if (s->caps_tls != NULL)
    fake_server_set_caps (server, FAKE_PHASE_TLS, s->caps_tls);

  if (s->greeting_delay_ms || s->greeting_tail || s->after_greeting != THEN_NOTHING ||
      s->certificate)
    {
      fake_server_clear_on_connect (server);
      if (mode == FAKE_MODE_TLS)
        fake_server_on_connect (server, fake_start_tls (scenario_certificate (s)), NULL);
      if (s->greeting_delay_ms > 0)
        fake_server_on_connect (server, fake_sleep (s->greeting_delay_ms), NULL);
      fake_server_on_connect (server, fake_send_greeting (), NULL);
      if (s->greeting_tail != NULL)
        fake_server_on_connect (server, fake_sleep (400), fake_send (s->greeting_tail), NULL);
      if (s->after_greeting != THEN_NOTHING)
        fake_server_on_connect (server, then_action (s->after_greeting, NULL), NULL);
    }
  if (s->certificate != NULL && mode == FAKE_MODE_STARTTLS)
    fake_server_on (server, FAKE_PHASE_PLAIN, d->upgrade,
                    fake_send (d->upgrade_yes), fake_start_tls (s->certificate), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (s->twists); i++)
    {
      if (twist_used (&s->twists[i]))
        add_twist (server, s, &s->twists[i]);
    }
  if (s->setup != NULL)
    s->setup (server);
  return server;
}

McSettings *
scenario_settings (const Scenario *s,
                   guint16         port)
{
  McSettings *settings = mc_test_settings_new (s->protocol, s->security, port);

  if (s->host != NULL)
    mc_settings_set_host (settings, s->host);
  if (s->user != NULL)
    mc_settings_set_user (settings, s->user);
  if (s->password != NULL)
    mc_settings_set_password (settings, s->password);
  if (s->no_password)
    mc_settings_set_password (settings, NULL);
  if (s->timeout > 0)
    mc_settings_set_timeout (settings, s->timeout);
  if (s->ca_file != NULL)
    {
      g_autofree char *path = s->ca_file[0] ? fake_certificate_path (s->ca_file) : NULL;

      mc_settings_set_ca_file (settings, path);
    }
  return settings;
}

/* Oracles -------------------------------------------------------------------- */

guint
count_credential_commands (FakeServer *server)
{
  const char *commands[] = { "LOGIN ", "AUTHENTICATE", "AUTH ", "USER ", "PASS ", "APOP " };
  guint total = 0;

  for (const char **c = commands; c < commands + G_N_ELEMENTS (commands); c++)
    total += fake_server_count_commands (server, FAKE_PHASE_ANY, *c);
  return total;
}

/* What must never reach a display as itself: by Unicode category, like the
 * engine's sanitiser, so this oracle does not share a list that could miss one. */
static gboolean
is_hidden_character (gunichar c,
                     gboolean allow_newline)
{
  if (c == '\n')
    return !allow_newline;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
      return TRUE;
    default:
      /* Blank letters: the Hangul fillers. */
      return c == 0x115f || c == 0x1160 || c == 0x3164 || c == 0xffa0;
    }
}

static void
assert_displayable (const char *text,
                    gboolean    multi_line)
{
  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    g_error ("invalid UTF-8 reaches the display: %s", text);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (is_hidden_character (g_utf8_get_char (p), multi_line))
        g_error ("U+%04X reaches the display in “%s”", g_utf8_get_char (p), text);
    }
}

void
assert_result_displayable (McResult *result)
{
  for (guint i = 0; i < result->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (result->steps, i);

      assert_displayable (step->summary, FALSE);
      assert_displayable (step->server, TRUE);
    }
  for (guint i = 0; i < result->advice->len; i++)
    assert_displayable (((McAdvice *)g_ptr_array_index (result->advice, i))->text, FALSE);
  for (guint i = 0; i < result->transcript->len; i++)
    assert_displayable (((McTranscriptLine *)g_ptr_array_index (result->transcript, i))->text,
                        FALSE);
  for (guint i = 0; i < result->caps_before->len; i++)
    assert_displayable (g_ptr_array_index (result->caps_before, i), FALSE);
  for (guint i = 0; i < result->caps_after->len; i++)
    assert_displayable (g_ptr_array_index (result->caps_after, i), FALSE);
}

void
assert_never_advises_plaintext (McResult *result)
{
  for (guint i = 0; i < result->advice->len; i++)
    {
      McAdvice *advice = g_ptr_array_index (result->advice, i);

      if (advice->fix_security == MC_SECURITY_NONE)
        g_error ("advice “%s” proposes Security None", advice->code);
    }
}

gboolean
transcript_has (McResult   *result,
                const char *needle,
                gboolean    encrypted)
{
  for (guint i = 0; i < result->transcript->len; i++)
    {
      McTranscriptLine *line = g_ptr_array_index (result->transcript, i);

      if (line->encrypted == encrypted && strstr (line->text, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

gboolean
any_step_shows (McResult   *result,
                const char *needle,
                gboolean    after_tls)
{
  for (guint i = 0; i < result->steps->len; i++)
    {
      McStep *step = g_ptr_array_index (result->steps, i);

      if (step->server != NULL && strstr (step->server,
                                          needle) != NULL && step->server_before_tls != after_tls)
        return TRUE;
    }
  return FALSE;
}

gboolean
plaintext_ends_with (FakeServer *server,
                     const char *tail)
{
  g_autoptr(GBytes) plain = fake_server_get_received (server, FAKE_PHASE_PLAIN);
  g_autoptr(GBytes) expected = g_bytes_new_static (tail, strlen (tail));
  gsize len = g_bytes_get_size (plain);

  if (len < g_bytes_get_size (expected))
    return FALSE;
  {
    g_autoptr(GBytes) end = g_bytes_new_from_bytes (plain, len - g_bytes_get_size (expected),
                                                    g_bytes_get_size (expected));

    return g_bytes_equal (end, expected);
  }
}

void
assert_plain_sent_once (Outcome *out)
{
  const char *login = scenario_dialects[out->result->protocol].login;
  g_autofree char *plain = mc_test_sasl_plain (FAKE_USER, FAKE_PASSWORD);
  g_autofree char *command = g_strdup_printf ("%s%s$", login, plain);

  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_TLS, command), ==, 1);
}

void
assert_implicit_tls_dialogue (Outcome *out)
{
  const Dialect *d = &scenario_dialects[out->result->protocol];

  assert_plain_sent_once (out);
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_TLS, d->logout), ==, 1);
  g_assert_null (fake_server_get_script_error (out->server));
}

void
assert_starttls_dialogue (Outcome *out)
{
  const Dialect *d = &scenario_dialects[out->result->protocol];

  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_PLAIN, d->hello), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_PLAIN, d->upgrade), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_TLS, d->hello), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_TLS, d->login), ==, 1);
  g_assert_null (fake_server_get_script_error (out->server));
}

void
assert_login_answers_sent_once (Outcome *out)
{
  g_autofree char *user = mc_test_base64 (FAKE_USER);
  g_autofree char *password = mc_test_base64 (FAKE_PASSWORD);
  g_autofree char *user_line = g_strdup_printf ("%s$", user);
  g_autofree char *password_line = g_strdup_printf ("%s$", password);

  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_TLS, user_line), ==, 1);
  g_assert_cmpuint (fake_server_count_commands (out->server, FAKE_PHASE_TLS, password_line), ==, 1);
}

gboolean
list_has (GPtrArray  *list,
          const char *item)
{
  return g_ptr_array_find_with_equal_func (list, item, g_str_equal, NULL);
}

char *
upgrade_command_line (McProtocol protocol)
{
  const char *upgrade = scenario_dialects[protocol].upgrade;

  return g_strdup_printf ("%.*s\r\n", (int)strlen (upgrade) - 1, upgrade);
}

void
scenario_accept_plain (FakeServer *server,
                       McProtocol  protocol,
                       const char *user,
                       const char *password)
{
  const char *login = scenario_dialects[protocol].login;
  const char *ok = scenario_dialects[protocol].success;
  g_autofree char *plain = mc_test_sasl_plain (user, password);
  g_autofree char *with_ir = g_strdup_printf ("%s%s$", login, plain);
  g_autofree char *alone = g_strdup_printf ("%.*s$", (int)strlen (login) - 1, login);
  g_autofree char *response = g_strdup_printf ("%s$", plain);
  const char *go_on = protocol == MC_PROTOCOL_SMTP ? "334 \r\n" : "+ \r\n";
  const char *no = protocol == MC_PROTOCOL_SMTP ? "535 5.7.8 No\r\n" : protocol == MC_PROTOCOL_POP3
                   ? "-ERR [AUTH] No\r\n" : "$TAG NO [AUTHENTICATIONFAILED] No\r\n";

  fake_server_on (server, FAKE_PHASE_TLS, with_ir, fake_send (ok), NULL);
  fake_server_on (server, FAKE_PHASE_TLS, alone, fake_send (go_on),
                  fake_reply_if (response, ok, no), NULL);
}

/* Expectations ------------------------------------------------------------- */

static McStepId
step_id_from_string (const char *name)
{
  /* MC_STEP_NETWORK is the last id; the ones after LOGOUT came later. */
  for (McStepId id = MC_STEP_RESOLVE; id <= MC_STEP_NETWORK; id++)
    {
      if (g_str_equal (mc_step_id_to_string (id), name))
        return id;
    }
  g_error ("no step “%s”", name);
}

static McStepStatus
step_status_from_string (const char *name)
{
  for (McStepStatus status = MC_STEP_STATUS_RUNNING; status <= MC_STEP_STATUS_SKIPPED; status++)
    {
      if (g_str_equal (mc_step_status_to_string (status), name))
        return status;
    }
  g_error ("no step status “%s”", name);
}

static void
check_steps (McResult   *result,
             const char *expected)
{
  g_auto(GStrv) items = g_strsplit (expected, " ", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *colon = strchr (items[i], ':');
      g_autofree char *id = g_strndup (items[i], colon - items[i]);
      McStepStatus status = step_status_from_string (colon + 1);

      if (!g_str_equal (id, "*"))
        {
          mc_assert_step (result, step_id_from_string (id), status);
          continue;
        }
      for (guint j = 0; j < result->steps->len; j++)
        mc_assert_step (result, ((McStep *)g_ptr_array_index (result->steps, j))->id, status);
    }
}

static void
check_advice (McResult   *result,
              const char *expected)
{
  g_auto(GStrv) codes = g_strsplit (expected, " ", -1);

  for (guint i = 0; codes[i] != NULL; i++)
    {
      if (codes[i][0] == '!')
        mc_assert_no_advice (result, codes[i] + 1);
      else
        mc_assert_advice (result, codes[i]);
    }
}

static void
check_expectations (const Scenario *s,
                    Outcome        *out)
{
  mc_assert_verdict (out->result, s->verdict);
  if (s->advice != NULL)
    check_advice (out->result, s->advice);
  if (s->failed != NULL)
    mc_assert_step (out->result, step_id_from_string (s->failed), MC_STEP_STATUS_FAILED);
  if (s->steps != NULL)
    check_steps (out->result, s->steps);
  if (s->auth != NULL)
    g_assert_cmpstr (mc_auth_result_to_string (out->result->auth_result), ==, s->auth);
  if (s->auth_used != NULL)
    g_assert_cmpstr (out->result->auth_used, ==, s->auth_used);
  if (s->shows != NULL)
    {
      const char *colon = strchr (s->shows, ':');
      g_autofree char *id = g_strndup (s->shows, colon - s->shows);
      McStep *step = mc_test_find_step (out->result, step_id_from_string (id));

      g_assert_nonnull (step);
      g_assert_nonnull (step->server);
      g_assert_nonnull (strstr (step->server, colon + 1));
    }
  for (const Sent *sent = s->sent; sent < s->sent + G_N_ELEMENTS (s->sent) && sent->prefix; sent++)
    {
      FakePhase phase = sent->phase ? sent->phase : FAKE_PHASE_ANY;

      guint times = fake_server_count_commands (out->server, phase, sent->prefix);

      g_assert_cmpuint (times, ==, sent->times);
    }
}

void
scenario_check (const Scenario *s,
                Outcome        *out)
{
  guint timeout = s->timeout ? s->timeout : MC_TEST_TIMEOUT;
  guint connections = fake_server_get_connections (out->server);

  check_expectations (s, out);

  /* The universal oracle, then the exact number of login commands. */
  fake_server_assert_no_plaintext_credentials (out->server, scenario_user (s),
                                               scenario_password (s));
  if (!s->secret_sent)
    fake_server_assert_no_credentials (out->server, scenario_user (s), scenario_password (s));
  g_assert_cmpuint (count_credential_commands (out->server), ==, s->logins);
  mc_assert_no_secret (out->result, scenario_password (s));

  if (s->connections == 0)
    g_assert_cmpuint (connections, ==, 1);
  else
    g_assert_cmpuint (connections, <=, s->connections);

  assert_never_advises_plaintext (out->result);
  assert_result_displayable (out->result);
  /* Every phase has a deadline; probes after a failure have their own. */
  g_assert_cmpint (out->ms, <, s->within_ms ? s->within_ms : (gint64)timeout * 4000 + 3000);

  if (s->check != NULL)
    s->check (out);
}

/* Running ------------------------------------------------------------------ */

void
scenario_play_on (const Scenario *s,
                  guint16         port,
                  Outcome        *out)
{
  g_autoptr(McSettings) settings = NULL;
  guint16 server_port;

  if (out->server == NULL)
    out->server = scenario_server (s);
  server_port = fake_server_start (out->server);
  settings = scenario_settings (s, port ? port : server_port);
  out->result = mc_test_run_timed (settings, NULL, &out->ms);
  fake_server_finish (out->server);
  g_test_message ("%s over %s: %s in %" G_GINT64_FORMAT " ms", mc_protocol_to_string (s->protocol),
                  mc_security_to_string (s->security), mc_verdict_to_string (out->result->verdict),
                  out->ms);
  scenario_check (s, out);
}

void
scenario_play (const Scenario *s,
               Outcome        *out)
{
  scenario_play_on (s, 0, out);
}

void
scenario_play_all (const Scenario *list,
                   gsize           n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_auto(Outcome) out = { NULL };

      scenario_play (&list[i], &out);
    }
}

static void
test_case (gconstpointer data)
{
  const ScenarioCase *c = data;
  g_auto(Outcome) out = { NULL };

  scenario_play (&c->scenario, &out);
}

void
scenario_add_cases (const char         *prefix,
                    const ScenarioCase *cases,
                    gsize               n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *path = g_strconcat (prefix, "/", cases[i].path, NULL);

      g_test_add_data_func (path, &cases[i], test_case);
    }
}
