<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>ConnectDialog</name>
        <message>
            <source>Save the admin key on this computer (stored in plain text)</source>
            <translation>Admin-Schlüssel auf diesem Computer speichern (im Klartext)</translation>
        </message>
        <message>
            <source>Connect to a Sluice service</source>
            <translation>Mit einem Sluice-Dienst verbinden</translation>
        </message>
        <message>
            <source>value of ADMIN_KEY on the server</source>
            <translation>Wert von ADMIN_KEY auf dem Server</translation>
        </message>
        <message>
            <source>Service URL:</source>
            <translation>Dienst-URL:</translation>
        </message>
        <message>
            <source>Admin key:</source>
            <translation>Admin-Schlüssel:</translation>
        </message>
        <message>
            <source>Connect</source>
            <translation>Verbinden</translation>
        </message>
        <message>
            <source>Use embedded service</source>
            <translation>Eingebetteten Dienst verwenden</translation>
        </message>
        <message>
            <source>Enter an http:// or https:// URL with a host name.</source>
            <translation>Geben Sie eine http://- oder https://-URL mit Hostnamen ein.</translation>
        </message>
    </context>
    <context>
        <name>ConsoleController</name>
        <message>
            <source>Cleared key %1</source>
            <translation>Schlüssel %1 zurückgesetzt</translation>
        </message>
        <message>
            <source>Saved limit for %1</source>
            <translation>Limit für %1 gespeichert</translation>
        </message>
        <message>
            <source>Removed limit for %1</source>
            <translation>Limit für %1 entfernt</translation>
        </message>
        <message>
            <source>Connecting to %1</source>
            <translation>Verbinde mit %1</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>Nicht verbunden</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>Verbinde …</translation>
        </message>
        <message>
            <source>Connected</source>
            <translation>Verbunden</translation>
        </message>
        <message>
            <source>Unreachable</source>
            <translation>Nicht erreichbar</translation>
        </message>
        <message>
            <source>Admin key rejected</source>
            <translation>Admin-Schlüssel abgelehnt</translation>
        </message>
        <message>
            <source>Admin API disabled</source>
            <translation>Admin-API deaktiviert</translation>
        </message>
        <message>
            <source>Service restarted: its counters were reset</source>
            <translation>Dienst neu gestartet: seine Zähler wurden zurückgesetzt</translation>
        </message>
        <message>
            <source>Redis not configured: deciding in memory</source>
            <translation>Redis nicht konfiguriert: Entscheidung im Arbeitsspeicher</translation>
        </message>
        <message>
            <source>Redis connected at %1 (db %2)</source>
            <translation>Redis verbunden unter %1 (DB %2)</translation>
        </message>
        <message>
            <source>Redis at %1 is unreachable: deciding in memory (fallback)</source>
            <translation>Redis unter %1 ist nicht erreichbar: Entscheidung im Arbeitsspeicher (Ausweichbetrieb)</translation>
        </message>
        <message>
            <source>Redis connection restored (%1)</source>
            <translation>Redis-Verbindung wiederhergestellt (%1)</translation>
        </message>
        <message>
            <source>Redis connection lost (%1): falling back to memory</source>
            <translation>Redis-Verbindung verloren (%1): Ausweichen auf den Arbeitsspeicher</translation>
        </message>
        <message>
            <source>Redis enabled</source>
            <translation>Redis aktiviert</translation>
        </message>
        <message>
            <source>Redis disabled</source>
            <translation>Redis deaktiviert</translation>
        </message>
        <message>
            <source>Request %1 failed: %2</source>
            <translation>Anfrage %1 fehlgeschlagen: %2</translation>
        </message>
        <message>
            <source>Key %1 is not tracked any more</source>
            <translation>Schlüssel %1 wird nicht mehr verfolgt</translation>
        </message>
        <message>
            <source>Could not clear %1: %2</source>
            <translation>%1 konnte nicht zurückgesetzt werden: %2</translation>
        </message>
        <message>
            <source>Could not change the limit for %1: %2</source>
            <translation>Das Limit für %1 konnte nicht geändert werden: %2</translation>
        </message>
        <message>
            <source>service unreachable (%1)</source>
            <translation>Dienst nicht erreichbar (%1)</translation>
        </message>
        <message>
            <source>no answer within %1 s</source>
            <translation>keine Antwort innerhalb von %1 s</translation>
        </message>
        <message>
            <source>the admin key was rejected (HTTP 401)</source>
            <translation>der Admin-Schlüssel wurde abgelehnt (HTTP 401)</translation>
        </message>
        <message>
            <source>the admin API is disabled on this server (HTTP 403)</source>
            <translation>die Admin-API ist auf diesem Server deaktiviert (HTTP 403)</translation>
        </message>
        <message>
            <source>HTTP %1</source>
            <translation>HTTP %1</translation>
        </message>
        <message>
            <source>HTTP %1: %2</source>
            <translation>HTTP %1: %2</translation>
        </message>
        <message>
            <source>unexpected answer (%1)</source>
            <translation>unerwartete Antwort (%1)</translation>
        </message>
        <message>
            <source>Connected to %1</source>
            <translation>Verbunden mit %1</translation>
        </message>
        <message>
            <source>Service %1 is reachable again</source>
            <translation>Dienst %1 ist wieder erreichbar</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>Cannot reach %1. Showing the last data; retrying every %2 s.</source>
            <translation>%1 ist nicht erreichbar. Angezeigt werden die letzten Daten; neuer Versuch alle %2 s.</translation>
        </message>
        <message>
            <source>The admin key for %1 was rejected (HTTP 401). Use Connect… to enter the right key.</source>
            <translation>Der Admin-Schlüssel für %1 wurde abgelehnt (HTTP 401). Geben Sie unter „Verbinden …“ den richtigen Schlüssel ein.</translation>
        </message>
        <message>
            <source>The admin API is disabled on %1 (HTTP 403): set an admin key on the server.</source>
            <translation>Die Admin-API ist auf %1 deaktiviert (HTTP 403): Legen Sie auf dem Server einen Admin-Schlüssel fest.</translation>
        </message>
        <message>
            <source>Redis at %1 is down: this instance decides in memory until it is back; limits are no longer shared between instances.</source>
            <translation>Redis unter %1 ist ausgefallen: Diese Instanz entscheidet im Arbeitsspeicher, bis Redis zurück ist; Limits werden nicht mehr zwischen Instanzen geteilt.</translation>
        </message>
        <message>
            <source>Bypass attempts: +%1 %2</source>
            <translation>Umgehungsversuche: +%1 %2</translation>
        </message>
        <message>
            <source>This service does not list violations (an older version)</source>
            <translation>Dieser Dienst listet keine Verstöße auf (ältere Version)</translation>
        </message>
        <message>
            <source>Saved the limit for API key %1</source>
            <translation>Limit für API-Schlüssel %1 gespeichert</translation>
        </message>
        <message>
            <source>Removed the limit for API key %1</source>
            <translation>Limit für API-Schlüssel %1 entfernt</translation>
        </message>
        <message>
            <source>Could not change the limit for API key %1: %2</source>
            <translation>Das Limit für API-Schlüssel %1 konnte nicht geändert werden: %2</translation>
        </message>
        <message>
            <source>Redis: %1</source>
            <translation>Redis: %1</translation>
        </message>
        <message>
            <source>Redis no longer evicts rate-limit keys (maxmemory-policy %1)</source>
            <translation>Redis verdrängt keine Rate-Limit-Schlüssel mehr (maxmemory-policy %1)</translation>
        </message>
        <message>
            <source>Redis at %1 may evict rate-limit keys (maxmemory-policy %2): an evicted key silently resets that client's limit. Set maxmemory-policy noeviction.</source>
            <translation>Redis unter %1 kann Rate-Limit-Schlüssel verdrängen (maxmemory-policy %2): Ein verdrängter Schlüssel setzt das Limit seines Clients stillschweigend zurück. Setzen Sie maxmemory-policy noeviction.</translation>
        </message>
    </context>
    <context>
        <name>EventsModel</name>
        <message>
            <source>Info</source>
            <translation>Info</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Warnung</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>Fehler</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Severity</source>
            <translation>Schweregrad</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>Ereignis</translation>
        </message>
    </context>
    <context>
        <name>HistoryDialog</name>
        <message>
            <source>%1 per %2</source>
            <translation>%1 pro %2</translation>
        </message>
        <message>
            <source>, burst %1</source>
            <translation>, Burst %1</translation>
        </message>
        <message>
            <source>Configuration history</source>
            <translation>Konfigurationsverlauf</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Aktion</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>Endpunkt</translation>
        </message>
        <message>
            <source>Before</source>
            <translation>Vorher</translation>
        </message>
        <message>
            <source>After</source>
            <translation>Nachher</translation>
        </message>
        <message>
            <source>Admin key id</source>
            <translation>Admin-Schlüssel-ID</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <source>Could not load the history (%1).</source>
            <translation>Der Verlauf konnte nicht geladen werden (%1).</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Wird geladen …</translation>
        </message>
        <message>
            <source>No configuration changes yet.</source>
            <translation>Noch keine Konfigurationsänderungen.</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s).</source>
            <translation>
                <numerusform>%n Änderung.</numerusform>
                <numerusform>%n Änderungen.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>KeyUsageModel</name>
        <message>
            <source>now</source>
            <translation>jetzt</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 min %2 s</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>Schlüssel</translation>
        </message>
        <message>
            <source>Strategy</source>
            <translation>Strategie</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>Client</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>Endpunkt</translation>
        </message>
        <message>
            <source>Count</source>
            <translation>Anzahl</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>Limit</translation>
        </message>
        <message>
            <source>Usage</source>
            <translation>Auslastung</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>Fenster</translation>
        </message>
        <message>
            <source>Resets in</source>
            <translation>Reset in</translation>
        </message>
    </context>
    <context>
        <name>LimitsEditor</name>
        <message>
            <source>Saved. The service applies the new limit to the next request.</source>
            <translation>Gespeichert. Der Dienst wendet das neue Limit ab der nächsten Anfrage an.</translation>
        </message>
        <message>
            <source>&amp;Endpoint:</source>
            <translation>&amp;Endpunkt:</translation>
        </message>
        <message>
            <source>&amp;Method:</source>
            <translation>&amp;Methode:</translation>
        </message>
        <message>
            <source>&amp;Requests:</source>
            <translation>&amp;Anfragen:</translation>
        </message>
        <message>
            <source>&amp;Window:</source>
            <translation>&amp;Fenster:</translation>
        </message>
        <message>
            <source>&amp;Algorithm:</source>
            <translation>Al&amp;gorithmus:</translation>
        </message>
        <message>
            <source>&amp;Burst:</source>
            <translation>&amp;Burst:</translation>
        </message>
        <message>
            <source>any method</source>
            <translation>jede Methode</translation>
        </message>
        <message>
            <source>Server default</source>
            <translation>Server-Standard</translation>
        </message>
        <message>
            <source> requests</source>
            <translation> Anfragen</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>same as requests</source>
            <translation>wie Anfragen</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>Limit</translation>
        </message>
        <message>
            <source>&amp;New</source>
            <translation>&amp;Neu</translation>
        </message>
        <message>
            <source>&amp;Save limit</source>
            <translation>Limit &amp;speichern</translation>
        </message>
        <message>
            <source>&amp;Remove…</source>
            <translation>&amp;Entfernen …</translation>
        </message>
        <message>
            <source>&amp;History…</source>
            <translation>&amp;Verlauf …</translation>
        </message>
        <message>
            <source>An exact path, or a prefix ending in /* such as /v1/images/*</source>
            <translation>Ein exakter Pfad oder ein Präfix, das auf /* endet, z. B. /v1/images/*</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>Wird gesendet …</translation>
        </message>
        <message>
            <source>Remove limit</source>
            <translation>Limit entfernen</translation>
        </message>
        <message>
            <source>Remove the limit for %1? Requests to it fall back to the default limit.</source>
            <translation>Das Limit für %1 entfernen? Anfragen daran fallen auf das Standardlimit zurück.</translation>
        </message>
        <message>
            <source>The service rejected this limit.</source>
            <translation>Der Dienst hat dieses Limit abgelehnt.</translation>
        </message>
        <message>
            <source>API &amp;key id:</source>
            <translation>API-Schlüssel-&amp;ID:</translation>
        </message>
        <message>
            <source>API-key limit</source>
            <translation>API-Schlüssel-Limit</translation>
        </message>
        <message>
            <source>default for every API key without its own limit, or one key's id (16 hex digits, as the key table and the violations show it)</source>
            <translation>default für jeden API-Schlüssel ohne eigenes Limit, oder die ID eines Schlüssels (16 Hex-Ziffern, wie in der Schlüsseltabelle und den Verstößen angezeigt)</translation>
        </message>
        <message>
            <source>Remove the API-key default? API-key clients without their own limit fall back to the default limit.</source>
            <translation>API-Schlüssel-Standard entfernen? API-Schlüssel-Clients ohne eigenes Limit erhalten wieder das Standardlimit.</translation>
        </message>
        <message>
            <source>Remove the limit for API key %1? Its client falls back to the API-key default.</source>
            <translation>Limit für API-Schlüssel %1 entfernen? Sein Client erhält wieder den API-Schlüssel-Standard.</translation>
        </message>
    </context>
    <context>
        <name>LimitsModel</name>
        <message>
            <source>Sliding log (exact)</source>
            <translation>Gleitendes Protokoll (exakt)</translation>
        </message>
        <message>
            <source>Sliding window counter</source>
            <translation>Gleitender Fensterzähler</translation>
        </message>
        <message>
            <source>Token bucket</source>
            <translation>Token-Bucket</translation>
        </message>
        <message>
            <source>Default</source>
            <translation>Standard</translation>
        </message>
        <message>
            <source>any</source>
            <translation>alle</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Aktiv</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>Wird gespeichert …</translation>
        </message>
        <message>
            <source>Rejected: %1</source>
            <translation>Abgelehnt: %1</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>Endpunkt</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>Methode</translation>
        </message>
        <message>
            <source>Requests</source>
            <translation>Anfragen</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>Fenster</translation>
        </message>
        <message>
            <source>Algorithm</source>
            <translation>Algorithmus</translation>
        </message>
        <message>
            <source>Burst</source>
            <translation>Burst</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>default (all API keys)</source>
            <translation>default (alle API-Schlüssel)</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API-Schlüssel</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Cleared %1</source>
            <translation>%1 zurückgesetzt</translation>
        </message>
        <message>
            <source>About Sluice Console</source>
            <translation>Über die Sluice-Konsole</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Sluice Console %1&lt;/h3&gt;&lt;p&gt;Live view and control of the Sluice rate limiter through its admin API.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Sluice-Konsole %1&lt;/h3&gt;&lt;p&gt;Live-Ansicht und Steuerung des Sluice-Ratenbegrenzers über seine Admin-API.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Sluice Console</source>
            <translation>Sluice-Konsole</translation>
        </message>
        <message>
            <source>%1 — Sluice Console</source>
            <translation>%1 — Sluice-Konsole</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Datei</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Sprache</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <source>Main toolbar</source>
            <translation>Hauptwerkzeugleiste</translation>
        </message>
        <message>
            <source>&amp;Connect…</source>
            <translation>&amp;Verbinden …</translation>
        </message>
        <message>
            <source>Connect to a Sluice service</source>
            <translation>Mit einem Sluice-Dienst verbinden</translation>
        </message>
        <message>
            <source>Use &amp;embedded service</source>
            <translation>&amp;Eingebetteten Dienst verwenden</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <source>&amp;Refresh now</source>
            <translation>Jetzt &amp;aktualisieren</translation>
        </message>
        <message>
            <source>&amp;Resume updates</source>
            <translation>Aktualisierung &amp;fortsetzen</translation>
        </message>
        <message>
            <source>&amp;Pause updates</source>
            <translation>Aktualisierung &amp;anhalten</translation>
        </message>
        <message>
            <source>C&amp;lear key…</source>
            <translation>Schlüssel &amp;zurücksetzen …</translation>
        </message>
        <message>
            <source>Reset the selected key's counter in the service</source>
            <translation>Den Zähler des ausgewählten Schlüssels im Dienst zurücksetzen</translation>
        </message>
        <message>
            <source>&amp;Copy key</source>
            <translation>Schlüssel &amp;kopieren</translation>
        </message>
        <message>
            <source>Configuration &amp;history…</source>
            <translation>Konfigurations&amp;verlauf …</translation>
        </message>
        <message>
            <source>&amp;About Sluice Console</source>
            <translation>&amp;Über die Sluice-Konsole</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>Systemsprache</translation>
        </message>
        <message>
            <source>  Refresh every </source>
            <translation>  Aktualisieren alle </translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>Übersicht</translation>
        </message>
        <message>
            <source>Limits</source>
            <translation>Limits</translation>
        </message>
        <message>
            <source>Deployment</source>
            <translation>Bereitstellung</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>Ereignisse</translation>
        </message>
        <message>
            <source>Requests</source>
            <translation>Anfragen</translation>
        </message>
        <message>
            <source>Blocked</source>
            <translation>Blockiert</translation>
        </message>
        <message>
            <source>Block rate</source>
            <translation>Blockierquote</translation>
        </message>
        <message>
            <source>Allowed / s</source>
            <translation>Erlaubt / s</translation>
        </message>
        <message>
            <source>Blocked / s</source>
            <translation>Blockiert / s</translation>
        </message>
        <message>
            <source>Decision p50</source>
            <translation>Entscheidung p50</translation>
        </message>
        <message>
            <source>Tracked keys</source>
            <translation>Verfolgte Schlüssel</translation>
        </message>
        <message>
            <source>Store</source>
            <translation>Backend</translation>
        </message>
        <message>
            <source>Traffic, last 5 minutes</source>
            <translation>Verkehr, letzte 5 Minuten</translation>
        </message>
        <message>
            <source>Top keys by usage</source>
            <translation>Schlüssel mit höchster Auslastung</translation>
        </message>
        <message>
            <source>Filter keys, clients, endpoints…</source>
            <translation>Schlüssel, Clients, Endpunkte filtern …</translation>
        </message>
        <message>
            <source>Clear key…</source>
            <translation>Schlüssel zurücksetzen …</translation>
        </message>
        <message>
            <source>Redis</source>
            <translation>Redis</translation>
        </message>
        <message>
            <source>Enabled:</source>
            <translation>Aktiviert:</translation>
        </message>
        <message>
            <source>Connection:</source>
            <translation>Verbindung:</translation>
        </message>
        <message>
            <source>Mode:</source>
            <translation>Modus:</translation>
        </message>
        <message>
            <source>Address:</source>
            <translation>Adresse:</translation>
        </message>
        <message>
            <source>Database:</source>
            <translation>Datenbank:</translation>
        </message>
        <message>
            <source>Pool size:</source>
            <translation>Poolgröße:</translation>
        </message>
        <message>
            <source>Errors:</source>
            <translation>Fehler:</translation>
        </message>
        <message>
            <source>Last error:</source>
            <translation>Letzter Fehler:</translation>
        </message>
        <message>
            <source>Live instances</source>
            <translation>Aktive Instanzen</translation>
        </message>
        <message>
            <source>Instance</source>
            <translation>Instanz</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Adresse</translation>
        </message>
        <message>
            <source>Mode</source>
            <translation>Modus</translation>
        </message>
        <message>
            <source>Last seen</source>
            <translation>Zuletzt gesehen</translation>
        </message>
        <message>
            <source>embedded service</source>
            <translation>eingebetteter Dienst</translation>
        </message>
        <message>
            <source>Clear key</source>
            <translation>Schlüssel zurücksetzen</translation>
        </message>
        <message>
            <source>Reset the counter of %1? Its client gets its full quota back at once.</source>
            <translation>Den Zähler von %1 zurücksetzen? Sein Client erhält sofort sein volles Kontingent zurück.</translation>
        </message>
        <message>
            <source>since start</source>
            <translation>seit dem Start</translation>
        </message>
        <message>
            <source>HTTP 429 answers</source>
            <translation>HTTP-429-Antworten</translation>
        </message>
        <message>
            <source>of all requests</source>
            <translation>aller Anfragen</translation>
        </message>
        <message>
            <source>requests per second</source>
            <translation>Anfragen pro Sekunde</translation>
        </message>
        <message>
            <source>%1 µs</source>
            <translation>%1 µs</translation>
        </message>
        <message>
            <source>p99 %1 µs</source>
            <translation>p99 %1 µs</translation>
        </message>
        <message>
            <source>showing top %1</source>
            <translation>Top %1 angezeigt</translation>
        </message>
        <message>
            <source>Updated %1</source>
            <translation>Aktualisiert %1</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Speicher</translation>
        </message>
        <message>
            <source>Redis not configured</source>
            <translation>Redis nicht konfiguriert</translation>
        </message>
        <message>
            <source>Fallback</source>
            <translation>Ausweichbetrieb</translation>
        </message>
        <message>
            <source>Redis down: memory</source>
            <translation>Redis ausgefallen: Arbeitsspeicher</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>no</source>
            <translation>nein</translation>
        </message>
        <message>
            <source>not configured</source>
            <translation>nicht konfiguriert</translation>
        </message>
        <message>
            <source>connected</source>
            <translation>verbunden</translation>
        </message>
        <message>
            <source>down, falling back to memory</source>
            <translation>ausgefallen, Ausweichen auf den Arbeitsspeicher</translation>
        </message>
        <message>
            <source>%1 · %2</source>
            <translation>%1 · %2</translation>
        </message>
        <message>
            <source>Tracked keys</source>
            <comment>short caption of a figure tile</comment>
            <translation>Schlüssel</translation>
        </message>
        <message>
            <source>Instances sharing a Redis deployment appear here; this service decides on its own.</source>
            <translation>Instanzen, die sich eine Redis-Bereitstellung teilen, erscheinen hier; dieser Dienst entscheidet allein.</translation>
        </message>
        <message numerus="yes">
            <source>%n instance(s) share this deployment.</source>
            <translation>
                <numerusform>%n Instanz nutzt diese Bereitstellung.</numerusform>
                <numerusform>%n Instanzen teilen sich diese Bereitstellung.</numerusform>
            </translation>
        </message>
        <message>
            <source>Violations</source>
            <translation>Verstöße</translation>
        </message>
        <message>
            <source>Endpoints</source>
            <translation>Endpunkte</translation>
        </message>
        <message>
            <source>API keys</source>
            <translation>API-Schlüssel</translation>
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <source>Sluice Console</source>
            <translation>Sluice-Konsole</translation>
        </message>
        <message>
            <source>The embedded service did not start:
%1</source>
            <translation>Der eingebettete Dienst ist nicht gestartet:
%1</translation>
        </message>
    </context>
    <context>
        <name>RedisHealthView</name>
        <message>
            <source>Redis health</source>
            <translation>Redis-Zustand</translation>
        </message>
        <message>
            <source>Latency:</source>
            <translation>Latenz:</translation>
        </message>
        <message>
            <source>Memory:</source>
            <translation>Speicher:</translation>
        </message>
        <message>
            <source>Eviction policy:</source>
            <translation>Verdrängung:</translation>
        </message>
        <message>
            <source>Role:</source>
            <translation>Rolle:</translation>
        </message>
        <message>
            <source>Pool:</source>
            <translation>Pool:</translation>
        </message>
        <message>
            <source>Sampled:</source>
            <translation>Gemessen:</translation>
        </message>
        <message>
            <source>%1 ms (average %2, max %3)</source>
            <translation>%1 ms (Mittel %2, max. %3)</translation>
        </message>
        <message>
            <source>%1 of %2 (%3 %)</source>
            <translation>%1 von %2 (%3 %)</translation>
        </message>
        <message>
            <source>%1, no maxmemory</source>
            <translation>%1, kein maxmemory</translation>
        </message>
        <message>
            <source>%1: can evict rate-limit keys, which resets their limits</source>
            <translation>%1: kann Rate-Limit-Schlüssel verdrängen und damit ihre Limits zurücksetzen</translation>
        </message>
        <message>
            <source>%1, %2 keys evicted</source>
            <translation>%1, %2 Schlüssel verdrängt</translation>
        </message>
        <message>
            <source>replica, link to the master up</source>
            <translation>Replikat, Verbindung zum Master steht</translation>
        </message>
        <message>
            <source>replica, link to the master down</source>
            <translation>Replikat, Verbindung zum Master unterbrochen</translation>
        </message>
        <message numerus="yes">
            <source>%1, %n replica(s)</source>
            <translation>
                <numerusform>%1, %n Replikat</numerusform>
                <numerusform>%1, %n Replikate</numerusform>
            </translation>
        </message>
        <message>
            <source>lag %1 s</source>
            <translation>Verzögerung %1 s</translation>
        </message>
        <message>
            <source>(%1 behind)</source>
            <translation>(%1 zurück)</translation>
        </message>
        <message>
            <source>%1 of %2 connections ready; in flight: %3, peak %4</source>
            <translation>%1 von %2 Verbindungen bereit; laufend: %3, Spitze %4</translation>
        </message>
        <message>
            <source>Redis not configured</source>
            <translation>Redis nicht konfiguriert</translation>
        </message>
        <message>
            <source>no sample yet</source>
            <translation>noch keine Messung</translation>
        </message>
        <message>
            <source>%1 s ago, Redis %2</source>
            <translation>vor %1 s, Redis %2</translation>
        </message>
    </context>
    <context>
        <name>TrafficChartView</name>
        <message>
            <source>Allowed/s</source>
            <translation>Erlaubt/s</translation>
        </message>
        <message>
            <source>Blocked/s</source>
            <translation>Blockiert/s</translation>
        </message>
        <message>
            <source>requests / s</source>
            <translation>Anfragen / s</translation>
        </message>
        <message>
            <source>%1  allowed %2/s  blocked %3/s</source>
            <translation>%1  erlaubt %2/s  blockiert %3/s</translation>
        </message>
    </context>
    <context>
        <name>ViolationsModel</name>
        <message>
            <source>default limit</source>
            <translation>Standardlimit</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 min %2 s</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>Client</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>Regel</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>Schlüssel</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>Limit</translation>
        </message>
        <message>
            <source>Retry after</source>
            <translation>Erneut nach</translation>
        </message>
        <message>
            <source>API-key default</source>
            <translation>API-Schlüssel-Standard</translation>
        </message>
        <message>
            <source>API-key override</source>
            <translation>API-Schlüssel-Ausnahme</translation>
        </message>
    </context>
    <context>
        <name>ViolationsPage</name>
        <message>
            <source>Violations</source>
            <translation>Verstöße</translation>
        </message>
        <message>
            <source>Requests the service rejected with HTTP 429 since it started.</source>
            <translation>Anfragen, die der Dienst seit dem Start mit HTTP 429 abgewiesen hat.</translation>
        </message>
        <message>
            <source>Untrusted forwarded header</source>
            <translation>Nicht vertrauter Forwarded-Header</translation>
        </message>
        <message>
            <source>API-key cycling</source>
            <translation>API-Schlüssel-Wechsel</translation>
        </message>
        <message>
            <source>Malformed identity</source>
            <translation>Ungültige Identität</translation>
        </message>
        <message>
            <source>Requests with X-Forwarded-For, X-Real-IP or X-Forwarded-Uri from a peer that is not in TRUSTED_PROXIES: the service ignores the header and limits the peer's own address.</source>
            <translation>Anfragen mit X-Forwarded-For, X-Real-IP oder X-Forwarded-Uri von einer Gegenstelle, die nicht in TRUSTED_PROXIES steht: Der Dienst ignoriert den Header und begrenzt die eigene Adresse der Gegenstelle.</translation>
        </message>
        <message>
            <source>Further distinct API keys from one address within a minute after its first five: a client rotating keys to get a fresh quota each time.</source>
            <translation>Weitere verschiedene API-Schlüssel von einer Adresse innerhalb einer Minute nach den ersten fünf: ein Client, der Schlüssel wechselt, um jedes Mal ein neues Kontingent zu bekommen.</translation>
        </message>
        <message>
            <source>Requests whose X-API-Key or Authorization header was empty, too long, held control characters or was no Bearer token, so it cannot identify a client.</source>
            <translation>Anfragen, deren X-API-Key- oder Authorization-Header leer oder zu lang war, Steuerzeichen enthielt oder kein Bearer-Token war und daher keinen Client identifizieren kann.</translation>
        </message>
        <message>
            <source>Recent violations</source>
            <translation>Letzte Verstöße</translation>
        </message>
        <message>
            <source>Filter clients, rules, keys…</source>
            <translation>Clients, Regeln, Schlüssel filtern …</translation>
        </message>
        <message>
            <source>since start</source>
            <translation>seit dem Start</translation>
        </message>
        <message>
            <source>+%1 at %2</source>
            <translation>+%1 um %2</translation>
        </message>
        <message>
            <source>Newest %1 of %2 violations since the service started.</source>
            <translation>Die neuesten %1 von %2 Verstößen seit dem Start des Dienstes.</translation>
        </message>
        <message numerus="yes">
            <source>%n arrived faster than the console refreshes and are not listed.</source>
            <translation>
                <numerusform>%n kam schneller, als die Konsole aktualisiert, und ist nicht aufgeführt.</numerusform>
                <numerusform>%n kamen schneller, als die Konsole aktualisiert, und sind nicht aufgeführt.</numerusform>
            </translation>
        </message>
    </context>
</TS>
