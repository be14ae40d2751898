<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>ConnectDialog</name>
        <message>
            <source>Save the admin key on this computer (stored in plain text)</source>
            <translation>Save the admin key on this computer (stored in plain text)</translation>
        </message>
        <message>
            <source>Connect to a Sluice service</source>
            <translation>Connect to a Sluice service</translation>
        </message>
        <message>
            <source>value of ADMIN_KEY on the server</source>
            <translation>value of ADMIN_KEY on the server</translation>
        </message>
        <message>
            <source>Service URL:</source>
            <translation>Service URL:</translation>
        </message>
        <message>
            <source>Admin key:</source>
            <translation>Admin key:</translation>
        </message>
        <message>
            <source>Connect</source>
            <translation>Connect</translation>
        </message>
        <message>
            <source>Use embedded service</source>
            <translation>Use embedded service</translation>
        </message>
        <message>
            <source>Enter an http:// or https:// URL with a host name.</source>
            <translation>Enter an http:// or https:// URL with a host name.</translation>
        </message>
    </context>
    <context>
        <name>ConsoleController</name>
        <message>
            <source>Cleared key %1</source>
            <translation>Cleared key %1</translation>
        </message>
        <message>
            <source>Saved limit for %1</source>
            <translation>Saved limit for %1</translation>
        </message>
        <message>
            <source>Removed limit for %1</source>
            <translation>Removed limit for %1</translation>
        </message>
        <message>
            <source>Connecting to %1</source>
            <translation>Connecting to %1</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>Not connected</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>Connecting…</translation>
        </message>
        <message>
            <source>Connected</source>
            <translation>Connected</translation>
        </message>
        <message>
            <source>Unreachable</source>
            <translation>Unreachable</translation>
        </message>
        <message>
            <source>Admin key rejected</source>
            <translation>Admin key rejected</translation>
        </message>
        <message>
            <source>Admin API disabled</source>
            <translation>Admin API disabled</translation>
        </message>
        <message>
            <source>Service restarted: its counters were reset</source>
            <translation>Service restarted: its counters were reset</translation>
        </message>
        <message>
            <source>Redis not configured: deciding in memory</source>
            <translation>Redis not configured: deciding in memory</translation>
        </message>
        <message>
            <source>Redis connected at %1 (db %2)</source>
            <translation>Redis connected at %1 (db %2)</translation>
        </message>
        <message>
            <source>Redis at %1 is unreachable: deciding in memory (fallback)</source>
            <translation>Redis at %1 is unreachable: deciding in memory (fallback)</translation>
        </message>
        <message>
            <source>Redis connection restored (%1)</source>
            <translation>Redis connection restored (%1)</translation>
        </message>
        <message>
            <source>Redis connection lost (%1): falling back to memory</source>
            <translation>Redis connection lost (%1): falling back to memory</translation>
        </message>
        <message>
            <source>Redis enabled</source>
            <translation>Redis enabled</translation>
        </message>
        <message>
            <source>Redis disabled</source>
            <translation>Redis disabled</translation>
        </message>
        <message>
            <source>Request %1 failed: %2</source>
            <translation>Request %1 failed: %2</translation>
        </message>
        <message>
            <source>Key %1 is not tracked any more</source>
            <translation>Key %1 is not tracked any more</translation>
        </message>
        <message>
            <source>Could not clear %1: %2</source>
            <translation>Could not clear %1: %2</translation>
        </message>
        <message>
            <source>Could not change the limit for %1: %2</source>
            <translation>Could not change the limit for %1: %2</translation>
        </message>
        <message>
            <source>service unreachable (%1)</source>
            <translation>service unreachable (%1)</translation>
        </message>
        <message>
            <source>no answer within %1 s</source>
            <translation>no answer within %1 s</translation>
        </message>
        <message>
            <source>the admin key was rejected (HTTP 401)</source>
            <translation>the admin key was rejected (HTTP 401)</translation>
        </message>
        <message>
            <source>the admin API is disabled on this server (HTTP 403)</source>
            <translation>the admin API is disabled on this server (HTTP 403)</translation>
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
            <translation>unexpected answer (%1)</translation>
        </message>
        <message>
            <source>Connected to %1</source>
            <translation>Connected to %1</translation>
        </message>
        <message>
            <source>Service %1 is reachable again</source>
            <translation>Service %1 is reachable again</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>Cannot reach %1. Showing the last data; retrying every %2 s.</source>
            <translation>Cannot reach %1. Showing the last data; retrying every %2 s.</translation>
        </message>
        <message>
            <source>The admin key for %1 was rejected (HTTP 401). Use Connect… to enter the right key.</source>
            <translation>The admin key for %1 was rejected (HTTP 401). Use Connect… to enter the right key.</translation>
        </message>
        <message>
            <source>The admin API is disabled on %1 (HTTP 403): set an admin key on the server.</source>
            <translation>The admin API is disabled on %1 (HTTP 403): set an admin key on the server.</translation>
        </message>
        <message>
            <source>Redis at %1 is down: this instance decides in memory until it is back; limits are no longer shared between instances.</source>
            <translation>Redis at %1 is down: this instance decides in memory until it is back; limits are no longer shared between instances.</translation>
        </message>
        <message>
            <source>Bypass attempts: +%1 %2</source>
            <translation>Bypass attempts: +%1 %2</translation>
        </message>
        <message>
            <source>This service does not list violations (an older version)</source>
            <translation>This service does not list violations (an older version)</translation>
        </message>
        <message>
            <source>Saved the limit for API key %1</source>
            <translation>Saved the limit for API key %1</translation>
        </message>
        <message>
            <source>Removed the limit for API key %1</source>
            <translation>Removed the limit for API key %1</translation>
        </message>
        <message>
            <source>Could not change the limit for API key %1: %2</source>
            <translation>Could not change the limit for API key %1: %2</translation>
        </message>
        <message>
            <source>Redis: %1</source>
            <translation>Redis: %1</translation>
        </message>
        <message>
            <source>Redis no longer evicts rate-limit keys (maxmemory-policy %1)</source>
            <translation>Redis no longer evicts rate-limit keys (maxmemory-policy %1)</translation>
        </message>
        <message>
            <source>Redis at %1 may evict rate-limit keys (maxmemory-policy %2): an evicted key silently resets that client's limit. Set maxmemory-policy noeviction.</source>
            <translation>Redis at %1 may evict rate-limit keys (maxmemory-policy %2): an evicted key silently resets that client's limit. Set maxmemory-policy noeviction.</translation>
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
            <translation>Warning</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>Error</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>Severity</source>
            <translation>Severity</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>Event</translation>
        </message>
    </context>
    <context>
        <name>HistoryDialog</name>
        <message>
            <source>%1 per %2</source>
            <translation>%1 per %2</translation>
        </message>
        <message>
            <source>, burst %1</source>
            <translation>, burst %1</translation>
        </message>
        <message>
            <source>Configuration history</source>
            <translation>Configuration history</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>Action</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>Endpoint</translation>
        </message>
        <message>
            <source>Before</source>
            <translation>Before</translation>
        </message>
        <message>
            <source>After</source>
            <translation>After</translation>
        </message>
        <message>
            <source>Admin key id</source>
            <translation>Admin key id</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <source>Could not load the history (%1).</source>
            <translation>Could not load the history (%1).</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <source>No configuration changes yet.</source>
            <translation>No configuration changes yet.</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s).</source>
            <translation>
                <numerusform>%n change.</numerusform>
                <numerusform>%n changes.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>KeyUsageModel</name>
        <message>
            <source>now</source>
            <translation>now</translation>
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
            <translation>Key</translation>
        </message>
        <message>
            <source>Strategy</source>
            <translation>Strategy</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>Client</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>Endpoint</translation>
        </message>
        <message>
            <source>Count</source>
            <translation>Count</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>Limit</translation>
        </message>
        <message>
            <source>Usage</source>
            <translation>Usage</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>Window</translation>
        </message>
        <message>
            <source>Resets in</source>
            <translation>Resets in</translation>
        </message>
    </context>
    <context>
        <name>LimitsEditor</name>
        <message>
            <source>Saved. The service applies the new limit to the next request.</source>
            <translation>Saved. The service applies the new limit to the next request.</translation>
        </message>
        <message>
            <source>&amp;Endpoint:</source>
            <translation>&amp;Endpoint:</translation>
        </message>
        <message>
            <source>&amp;Method:</source>
            <translation>&amp;Method:</translation>
        </message>
        <message>
            <source>&amp;Requests:</source>
            <translation>&amp;Requests:</translation>
        </message>
        <message>
            <source>&amp;Window:</source>
            <translation>&amp;Window:</translation>
        </message>
        <message>
            <source>&amp;Algorithm:</source>
            <translation>&amp;Algorithm:</translation>
        </message>
        <message>
            <source>&amp;Burst:</source>
            <translation>&amp;Burst:</translation>
        </message>
        <message>
            <source>any method</source>
            <translation>any method</translation>
        </message>
        <message>
            <source>Server default</source>
            <translation>Server default</translation>
        </message>
        <message>
            <source> requests</source>
            <translation> requests</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>same as requests</source>
            <translation>same as requests</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>Limit</translation>
        </message>
        <message>
            <source>&amp;New</source>
            <translation>&amp;New</translation>
        </message>
        <message>
            <source>&amp;Save limit</source>
            <translation>&amp;Save limit</translation>
        </message>
        <message>
            <source>&amp;Remove…</source>
            <translation>&amp;Remove…</translation>
        </message>
        <message>
            <source>&amp;History…</source>
            <translation>&amp;History…</translation>
        </message>
        <message>
            <source>An exact path, or a prefix ending in /* such as /v1/images/*</source>
            <translation>An exact path, or a prefix ending in /* such as /v1/images/*</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>Sending…</translation>
        </message>
        <message>
            <source>Remove limit</source>
            <translation>Remove limit</translation>
        </message>
        <message>
            <source>Remove the limit for %1? Requests to it fall back to the default limit.</source>
            <translation>Remove the limit for %1? Requests to it fall back to the default limit.</translation>
        </message>
        <message>
            <source>The service rejected this limit.</source>
            <translation>The service rejected this limit.</translation>
        </message>
        <message>
            <source>API &amp;key id:</source>
            <translation>API &amp;key id:</translation>
        </message>
        <message>
            <source>API-key limit</source>
            <translation>API-key limit</translation>
        </message>
        <message>
            <source>default for every API key without its own limit, or one key's id (16 hex digits, as the key table and the violations show it)</source>
            <translation>default for every API key without its own limit, or one key's id (16 hex digits, as the key table and the violations show it)</translation>
        </message>
        <message>
            <source>Remove the API-key default? API-key clients without their own limit fall back to the default limit.</source>
            <translation>Remove the API-key default? API-key clients without their own limit fall back to the default limit.</translation>
        </message>
        <message>
            <source>Remove the limit for API key %1? Its client falls back to the API-key default.</source>
            <translation>Remove the limit for API key %1? Its client falls back to the API-key default.</translation>
        </message>
    </context>
    <context>
        <name>LimitsModel</name>
        <message>
            <source>Sliding log (exact)</source>
            <translation>Sliding log (exact)</translation>
        </message>
        <message>
            <source>Sliding window counter</source>
            <translation>Sliding window counter</translation>
        </message>
        <message>
            <source>Token bucket</source>
            <translation>Token bucket</translation>
        </message>
        <message>
            <source>Default</source>
            <translation>Default</translation>
        </message>
        <message>
            <source>any</source>
            <translation>any</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Active</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>Saving…</translation>
        </message>
        <message>
            <source>Rejected: %1</source>
            <translation>Rejected: %1</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>Endpoint</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>Method</translation>
        </message>
        <message>
            <source>Requests</source>
            <translation>Requests</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>Window</translation>
        </message>
        <message>
            <source>Algorithm</source>
            <translation>Algorithm</translation>
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
            <translation>default (all API keys)</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API key</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Cleared %1</source>
            <translation>Cleared %1</translation>
        </message>
        <message>
            <source>About Sluice Console</source>
            <translation>About Sluice Console</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Sluice Console %1&lt;/h3&gt;&lt;p&gt;Live view and control of the Sluice rate limiter through its admin API.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Sluice Console %1&lt;/h3&gt;&lt;p&gt;Live view and control of the Sluice rate limiter through its admin API.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Sluice Console</source>
            <translation>Sluice Console</translation>
        </message>
        <message>
            <source>%1 — Sluice Console</source>
            <translation>%1 — Sluice Console</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>&amp;Language</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <source>Main toolbar</source>
            <translation>Main toolbar</translation>
        </message>
        <message>
            <source>&amp;Connect…</source>
            <translation>&amp;Connect…</translation>
        </message>
        <message>
            <source>Connect to a Sluice service</source>
            <translation>Connect to a Sluice service</translation>
        </message>
        <message>
            <source>Use &amp;embedded service</source>
            <translation>Use &amp;embedded service</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quit</translation>
        </message>
        <message>
            <source>&amp;Refresh now</source>
            <translation>&amp;Refresh now</translation>
        </message>
        <message>
            <source>&amp;Resume updates</source>
            <translation>&amp;Resume updates</translation>
        </message>
        <message>
            <source>&amp;Pause updates</source>
            <translation>&amp;Pause updates</translation>
        </message>
        <message>
            <source>C&amp;lear key…</source>
            <translation>C&amp;lear key…</translation>
        </message>
        <message>
            <source>Reset the selected key's counter in the service</source>
            <translation>Reset the selected key's counter in the service</translation>
        </message>
        <message>
            <source>&amp;Copy key</source>
            <translation>&amp;Copy key</translation>
        </message>
        <message>
            <source>Configuration &amp;history…</source>
            <translation>Configuration &amp;history…</translation>
        </message>
        <message>
            <source>&amp;About Sluice Console</source>
            <translation>&amp;About Sluice Console</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>System language</translation>
        </message>
        <message>
            <source>  Refresh every </source>
            <translation>  Refresh every </translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>Dashboard</translation>
        </message>
        <message>
            <source>Limits</source>
            <translation>Limits</translation>
        </message>
        <message>
            <source>Deployment</source>
            <translation>Deployment</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>Events</translation>
        </message>
        <message>
            <source>Requests</source>
            <translation>Requests</translation>
        </message>
        <message>
            <source>Blocked</source>
            <translation>Blocked</translation>
        </message>
        <message>
            <source>Block rate</source>
            <translation>Block rate</translation>
        </message>
        <message>
            <source>Allowed / s</source>
            <translation>Allowed / s</translation>
        </message>
        <message>
            <source>Blocked / s</source>
            <translation>Blocked / s</translation>
        </message>
        <message>
            <source>Decision p50</source>
            <translation>Decision p50</translation>
        </message>
        <message>
            <source>Tracked keys</source>
            <translation>Tracked keys</translation>
        </message>
        <message>
            <source>Store</source>
            <translation>Store</translation>
        </message>
        <message>
            <source>Traffic, last 5 minutes</source>
            <translation>Traffic, last 5 minutes</translation>
        </message>
        <message>
            <source>Top keys by usage</source>
            <translation>Top keys by usage</translation>
        </message>
        <message>
            <source>Filter keys, clients, endpoints…</source>
            <translation>Filter keys, clients, endpoints…</translation>
        </message>
        <message>
            <source>Clear key…</source>
            <translation>Clear key…</translation>
        </message>
        <message>
            <source>Redis</source>
            <translation>Redis</translation>
        </message>
        <message>
            <source>Enabled:</source>
            <translation>Enabled:</translation>
        </message>
        <message>
            <source>Connection:</source>
            <translation>Connection:</translation>
        </message>
        <message>
            <source>Mode:</source>
            <translation>Mode:</translation>
        </message>
        <message>
            <source>Address:</source>
            <translation>Address:</translation>
        </message>
        <message>
            <source>Database:</source>
            <translation>Database:</translation>
        </message>
        <message>
            <source>Pool size:</source>
            <translation>Pool size:</translation>
        </message>
        <message>
            <source>Errors:</source>
            <translation>Errors:</translation>
        </message>
        <message>
            <source>Last error:</source>
            <translation>Last error:</translation>
        </message>
        <message>
            <source>Live instances</source>
            <translation>Live instances</translation>
        </message>
        <message>
            <source>Instance</source>
            <translation>Instance</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Address</translation>
        </message>
        <message>
            <source>Mode</source>
            <translation>Mode</translation>
        </message>
        <message>
            <source>Last seen</source>
            <translation>Last seen</translation>
        </message>
        <message>
            <source>embedded service</source>
            <translation>embedded service</translation>
        </message>
        <message>
            <source>Clear key</source>
            <translation>Clear key</translation>
        </message>
        <message>
            <source>Reset the counter of %1? Its client gets its full quota back at once.</source>
            <translation>Reset the counter of %1? Its client gets its full quota back at once.</translation>
        </message>
        <message>
            <source>since start</source>
            <translation>since start</translation>
        </message>
        <message>
            <source>HTTP 429 answers</source>
            <translation>HTTP 429 answers</translation>
        </message>
        <message>
            <source>of all requests</source>
            <translation>of all requests</translation>
        </message>
        <message>
            <source>requests per second</source>
            <translation>requests per second</translation>
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
            <translation>showing top %1</translation>
        </message>
        <message>
            <source>Updated %1</source>
            <translation>Updated %1</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Memory</translation>
        </message>
        <message>
            <source>Redis not configured</source>
            <translation>Redis not configured</translation>
        </message>
        <message>
            <source>Fallback</source>
            <translation>Fallback</translation>
        </message>
        <message>
            <source>Redis down: memory</source>
            <translation>Redis down: memory</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>yes</translation>
        </message>
        <message>
            <source>no</source>
            <translation>no</translation>
        </message>
        <message>
            <source>not configured</source>
            <translation>not configured</translation>
        </message>
        <message>
            <source>connected</source>
            <translation>connected</translation>
        </message>
        <message>
            <source>down, falling back to memory</source>
            <translation>down, falling back to memory</translation>
        </message>
        <message>
            <source>%1 · %2</source>
            <translation>%1 · %2</translation>
        </message>
        <message>
            <source>Tracked keys</source>
            <comment>short caption of a figure tile</comment>
            <translation>Tracked keys</translation>
        </message>
        <message>
            <source>Instances sharing a Redis deployment appear here; this service decides on its own.</source>
            <translation>Instances sharing a Redis deployment appear here; this service decides on its own.</translation>
        </message>
        <message numerus="yes">
            <source>%n instance(s) share this deployment.</source>
            <translation>
                <numerusform>%n instance shares this deployment.</numerusform>
                <numerusform>%n instances share this deployment.</numerusform>
            </translation>
        </message>
        <message>
            <source>Violations</source>
            <translation>Violations</translation>
        </message>
        <message>
            <source>Endpoints</source>
            <translation>Endpoints</translation>
        </message>
        <message>
            <source>API keys</source>
            <translation>API keys</translation>
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <source>Sluice Console</source>
            <translation>Sluice Console</translation>
        </message>
        <message>
            <source>The embedded service did not start:
%1</source>
            <translation>The embedded service did not start:
%1</translation>
        </message>
    </context>
    <context>
        <name>RedisHealthView</name>
        <message>
            <source>Redis health</source>
            <translation>Redis health</translation>
        </message>
        <message>
            <source>Latency:</source>
            <translation>Latency:</translation>
        </message>
        <message>
            <source>Memory:</source>
            <translation>Memory:</translation>
        </message>
        <message>
            <source>Eviction policy:</source>
            <translation>Eviction policy:</translation>
        </message>
        <message>
            <source>Role:</source>
            <translation>Role:</translation>
        </message>
        <message>
            <source>Pool:</source>
            <translation>Pool:</translation>
        </message>
        <message>
            <source>Sampled:</source>
            <translation>Sampled:</translation>
        </message>
        <message>
            <source>%1 ms (average %2, max %3)</source>
            <translation>%1 ms (average %2, max %3)</translation>
        </message>
        <message>
            <source>%1 of %2 (%3 %)</source>
            <translation>%1 of %2 (%3 %)</translation>
        </message>
        <message>
            <source>%1, no maxmemory</source>
            <translation>%1, no maxmemory</translation>
        </message>
        <message>
            <source>%1: can evict rate-limit keys, which resets their limits</source>
            <translation>%1: can evict rate-limit keys, which resets their limits</translation>
        </message>
        <message>
            <source>%1, %2 keys evicted</source>
            <translation>%1, %2 keys evicted</translation>
        </message>
        <message>
            <source>replica, link to the master up</source>
            <translation>replica, link to the master up</translation>
        </message>
        <message>
            <source>replica, link to the master down</source>
            <translation>replica, link to the master down</translation>
        </message>
        <message numerus="yes">
            <source>%1, %n replica(s)</source>
            <translation>
                <numerusform>%1, %n replica</numerusform>
                <numerusform>%1, %n replicas</numerusform>
            </translation>
        </message>
        <message>
            <source>lag %1 s</source>
            <translation>lag %1 s</translation>
        </message>
        <message>
            <source>(%1 behind)</source>
            <translation>(%1 behind)</translation>
        </message>
        <message>
            <source>%1 of %2 connections ready; in flight: %3, peak %4</source>
            <translation>%1 of %2 connections ready; in flight: %3, peak %4</translation>
        </message>
        <message>
            <source>Redis not configured</source>
            <translation>Redis not configured</translation>
        </message>
        <message>
            <source>no sample yet</source>
            <translation>no sample yet</translation>
        </message>
        <message>
            <source>%1 s ago, Redis %2</source>
            <translation>%1 s ago, Redis %2</translation>
        </message>
    </context>
    <context>
        <name>TrafficChartView</name>
        <message>
            <source>Allowed/s</source>
            <translation>Allowed/s</translation>
        </message>
        <message>
            <source>Blocked/s</source>
            <translation>Blocked/s</translation>
        </message>
        <message>
            <source>requests / s</source>
            <translation>requests / s</translation>
        </message>
        <message>
            <source>%1  allowed %2/s  blocked %3/s</source>
            <translation>%1  allowed %2/s  blocked %3/s</translation>
        </message>
    </context>
    <context>
        <name>ViolationsModel</name>
        <message>
            <source>default limit</source>
            <translation>default limit</translation>
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
            <translation>Time</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>Client</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>Rule</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>Key</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>Limit</translation>
        </message>
        <message>
            <source>Retry after</source>
            <translation>Retry after</translation>
        </message>
        <message>
            <source>API-key default</source>
            <translation>API-key default</translation>
        </message>
        <message>
            <source>API-key override</source>
            <translation>API-key override</translation>
        </message>
    </context>
    <context>
        <name>ViolationsPage</name>
        <message>
            <source>Violations</source>
            <translation>Violations</translation>
        </message>
        <message>
            <source>Requests the service rejected with HTTP 429 since it started.</source>
            <translation>Requests the service rejected with HTTP 429 since it started.</translation>
        </message>
        <message>
            <source>Untrusted forwarded header</source>
            <translation>Untrusted forwarded header</translation>
        </message>
        <message>
            <source>API-key cycling</source>
            <translation>API-key cycling</translation>
        </message>
        <message>
            <source>Malformed identity</source>
            <translation>Malformed identity</translation>
        </message>
        <message>
            <source>Requests with X-Forwarded-For, X-Real-IP or X-Forwarded-Uri from a peer that is not in TRUSTED_PROXIES: the service ignores the header and limits the peer's own address.</source>
            <translation>Requests with X-Forwarded-For, X-Real-IP or X-Forwarded-Uri from a peer that is not in TRUSTED_PROXIES: the service ignores the header and limits the peer's own address.</translation>
        </message>
        <message>
            <source>Further distinct API keys from one address within a minute after its first five: a client rotating keys to get a fresh quota each time.</source>
            <translation>Further distinct API keys from one address within a minute after its first five: a client rotating keys to get a fresh quota each time.</translation>
        </message>
        <message>
            <source>Requests whose X-API-Key or Authorization header was empty, too long, held control characters or was no Bearer token, so it cannot identify a client.</source>
            <translation>Requests whose X-API-Key or Authorization header was empty, too long, held control characters or was no Bearer token, so it cannot identify a client.</translation>
        </message>
        <message>
            <source>Recent violations</source>
            <translation>Recent violations</translation>
        </message>
        <message>
            <source>Filter clients, rules, keys…</source>
            <translation>Filter clients, rules, keys…</translation>
        </message>
        <message>
            <source>since start</source>
            <translation>since start</translation>
        </message>
        <message>
            <source>+%1 at %2</source>
            <translation>+%1 at %2</translation>
        </message>
        <message>
            <source>Newest %1 of %2 violations since the service started.</source>
            <translation>Newest %1 of %2 violations since the service started.</translation>
        </message>
        <message numerus="yes">
            <source>%n arrived faster than the console refreshes and are not listed.</source>
            <translation>
                <numerusform>%n arrived faster than the console refreshes and is not listed.</numerusform>
                <numerusform>%n arrived faster than the console refreshes and are not listed.</numerusform>
            </translation>
        </message>
    </context>
</TS>
