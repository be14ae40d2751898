<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>ConnectDialog</name>
        <message>
            <source>Save the admin key on this computer (stored in plain text)</source>
            <translation>在此计算机上保存管理密钥（以明文存储）</translation>
        </message>
        <message>
            <source>Connect to a Sluice service</source>
            <translation>连接到 Sluice 服务</translation>
        </message>
        <message>
            <source>value of ADMIN_KEY on the server</source>
            <translation>服务器上 ADMIN_KEY 的值</translation>
        </message>
        <message>
            <source>Service URL:</source>
            <translation>服务地址：</translation>
        </message>
        <message>
            <source>Admin key:</source>
            <translation>管理密钥：</translation>
        </message>
        <message>
            <source>Connect</source>
            <translation>连接</translation>
        </message>
        <message>
            <source>Use embedded service</source>
            <translation>使用内嵌服务</translation>
        </message>
        <message>
            <source>Enter an http:// or https:// URL with a host name.</source>
            <translation>请输入带主机名的 http:// 或 https:// 地址。</translation>
        </message>
    </context>
    <context>
        <name>ConsoleController</name>
        <message>
            <source>Cleared key %1</source>
            <translation>已清除键 %1</translation>
        </message>
        <message>
            <source>Saved limit for %1</source>
            <translation>已保存 %1 的限额</translation>
        </message>
        <message>
            <source>Removed limit for %1</source>
            <translation>已删除 %1 的限额</translation>
        </message>
        <message>
            <source>Connecting to %1</source>
            <translation>正在连接 %1</translation>
        </message>
        <message>
            <source>Not connected</source>
            <translation>未连接</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>正在连接…</translation>
        </message>
        <message>
            <source>Connected</source>
            <translation>已连接</translation>
        </message>
        <message>
            <source>Unreachable</source>
            <translation>无法访问</translation>
        </message>
        <message>
            <source>Admin key rejected</source>
            <translation>管理密钥被拒绝</translation>
        </message>
        <message>
            <source>Admin API disabled</source>
            <translation>管理 API 已禁用</translation>
        </message>
        <message>
            <source>Service restarted: its counters were reset</source>
            <translation>服务已重启：计数器已重置</translation>
        </message>
        <message>
            <source>Redis not configured: deciding in memory</source>
            <translation>未配置 Redis：在内存中判定</translation>
        </message>
        <message>
            <source>Redis connected at %1 (db %2)</source>
            <translation>Redis 已连接：%1（数据库 %2）</translation>
        </message>
        <message>
            <source>Redis at %1 is unreachable: deciding in memory (fallback)</source>
            <translation>无法访问 %1 上的 Redis：改为在内存中判定（降级）</translation>
        </message>
        <message>
            <source>Redis connection restored (%1)</source>
            <translation>Redis 连接已恢复（%1）</translation>
        </message>
        <message>
            <source>Redis connection lost (%1): falling back to memory</source>
            <translation>Redis 连接中断（%1）：降级为内存模式</translation>
        </message>
        <message>
            <source>Redis enabled</source>
            <translation>Redis 已启用</translation>
        </message>
        <message>
            <source>Redis disabled</source>
            <translation>Redis 已停用</translation>
        </message>
        <message>
            <source>Request %1 failed: %2</source>
            <translation>请求 %1 失败：%2</translation>
        </message>
        <message>
            <source>Key %1 is not tracked any more</source>
            <translation>键 %1 已不再被跟踪</translation>
        </message>
        <message>
            <source>Could not clear %1: %2</source>
            <translation>无法清除 %1：%2</translation>
        </message>
        <message>
            <source>Could not change the limit for %1: %2</source>
            <translation>无法修改 %1 的限额：%2</translation>
        </message>
        <message>
            <source>service unreachable (%1)</source>
            <translation>服务无法访问（%1）</translation>
        </message>
        <message>
            <source>no answer within %1 s</source>
            <translation>%1 秒内无响应</translation>
        </message>
        <message>
            <source>the admin key was rejected (HTTP 401)</source>
            <translation>管理密钥被拒绝（HTTP 401）</translation>
        </message>
        <message>
            <source>the admin API is disabled on this server (HTTP 403)</source>
            <translation>此服务器已禁用管理 API（HTTP 403）</translation>
        </message>
        <message>
            <source>HTTP %1</source>
            <translation>HTTP %1</translation>
        </message>
        <message>
            <source>HTTP %1: %2</source>
            <translation>HTTP %1：%2</translation>
        </message>
        <message>
            <source>unexpected answer (%1)</source>
            <translation>意外的响应（%1）</translation>
        </message>
        <message>
            <source>Connected to %1</source>
            <translation>已连接到 %1</translation>
        </message>
        <message>
            <source>Service %1 is reachable again</source>
            <translation>服务 %1 已恢复访问</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1：%2</translation>
        </message>
        <message>
            <source>Cannot reach %1. Showing the last data; retrying every %2 s.</source>
            <translation>无法访问 %1。正在显示最近的数据；每 %2 秒重试一次。</translation>
        </message>
        <message>
            <source>The admin key for %1 was rejected (HTTP 401). Use Connect… to enter the right key.</source>
            <translation>%1 的管理密钥被拒绝（HTTP 401）。请通过“连接…”输入正确的密钥。</translation>
        </message>
        <message>
            <source>The admin API is disabled on %1 (HTTP 403): set an admin key on the server.</source>
            <translation>%1 已禁用管理 API（HTTP 403）：请在服务器上设置管理密钥。</translation>
        </message>
        <message>
            <source>Redis at %1 is down: this instance decides in memory until it is back; limits are no longer shared between instances.</source>
            <translation>%1 上的 Redis 已宕机：在其恢复前本实例在内存中判定；各实例之间不再共享限额。</translation>
        </message>
        <message>
            <source>Bypass attempts: +%1 %2</source>
            <translation>绕过尝试：+%1 %2</translation>
        </message>
        <message>
            <source>This service does not list violations (an older version)</source>
            <translation>此服务不提供违规列表（旧版本）</translation>
        </message>
        <message>
            <source>Saved the limit for API key %1</source>
            <translation>已保存 API 密钥 %1 的限额</translation>
        </message>
        <message>
            <source>Removed the limit for API key %1</source>
            <translation>已移除 API 密钥 %1 的限额</translation>
        </message>
        <message>
            <source>Could not change the limit for API key %1: %2</source>
            <translation>无法更改 API 密钥 %1 的限额：%2</translation>
        </message>
        <message>
            <source>Redis: %1</source>
            <translation>Redis：%1</translation>
        </message>
        <message>
            <source>Redis no longer evicts rate-limit keys (maxmemory-policy %1)</source>
            <translation>Redis 不再淘汰限流键（maxmemory-policy %1）</translation>
        </message>
        <message>
            <source>Redis at %1 may evict rate-limit keys (maxmemory-policy %2): an evicted key silently resets that client's limit. Set maxmemory-policy noeviction.</source>
            <translation>%1 上的 Redis 可能淘汰限流键（maxmemory-policy %2）：被淘汰的键会悄悄重置该客户端的限额。请设置 maxmemory-policy noeviction。</translation>
        </message>
    </context>
    <context>
        <name>EventsModel</name>
        <message>
            <source>Info</source>
            <translation>信息</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>错误</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Severity</source>
            <translation>级别</translation>
        </message>
        <message>
            <source>Event</source>
            <translation>事件</translation>
        </message>
    </context>
    <context>
        <name>HistoryDialog</name>
        <message>
            <source>%1 per %2</source>
            <translation>每 %2 %1 次</translation>
        </message>
        <message>
            <source>, burst %1</source>
            <translation>，突发 %1</translation>
        </message>
        <message>
            <source>Configuration history</source>
            <translation>配置历史</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>端点</translation>
        </message>
        <message>
            <source>Before</source>
            <translation>修改前</translation>
        </message>
        <message>
            <source>After</source>
            <translation>修改后</translation>
        </message>
        <message>
            <source>Admin key id</source>
            <translation>管理密钥 ID</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <source>Could not load the history (%1).</source>
            <translation>无法加载历史记录（%1）。</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message>
            <source>No configuration changes yet.</source>
            <translation>尚无配置变更。</translation>
        </message>
        <message numerus="yes">
            <source>%n change(s).</source>
            <translation>
                <numerusform>%n 项变更。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>KeyUsageModel</name>
        <message>
            <source>now</source>
            <translation>现在</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 分 %2 秒</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 小时 %2 分</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>键</translation>
        </message>
        <message>
            <source>Strategy</source>
            <translation>策略</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>客户端</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>端点</translation>
        </message>
        <message>
            <source>Count</source>
            <translation>计数</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>上限</translation>
        </message>
        <message>
            <source>Usage</source>
            <translation>使用率</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>窗口</translation>
        </message>
        <message>
            <source>Resets in</source>
            <translation>重置倒计时</translation>
        </message>
    </context>
    <context>
        <name>LimitsEditor</name>
        <message>
            <source>Saved. The service applies the new limit to the next request.</source>
            <translation>已保存。服务将从下一个请求起应用新限额。</translation>
        </message>
        <message>
            <source>&amp;Endpoint:</source>
            <translation>端点(&amp;E)：</translation>
        </message>
        <message>
            <source>&amp;Method:</source>
            <translation>方法(&amp;M)：</translation>
        </message>
        <message>
            <source>&amp;Requests:</source>
            <translation>请求数(&amp;R)：</translation>
        </message>
        <message>
            <source>&amp;Window:</source>
            <translation>窗口(&amp;W)：</translation>
        </message>
        <message>
            <source>&amp;Algorithm:</source>
            <translation>算法(&amp;A)：</translation>
        </message>
        <message>
            <source>&amp;Burst:</source>
            <translation>突发(&amp;B)：</translation>
        </message>
        <message>
            <source>any method</source>
            <translation>任意方法</translation>
        </message>
        <message>
            <source>Server default</source>
            <translation>服务器默认</translation>
        </message>
        <message>
            <source> requests</source>
            <translation> 次请求</translation>
        </message>
        <message>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <source>same as requests</source>
            <translation>与请求数相同</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>限额</translation>
        </message>
        <message>
            <source>&amp;New</source>
            <translation>新建(&amp;N)</translation>
        </message>
        <message>
            <source>&amp;Save limit</source>
            <translation>保存限额(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Remove…</source>
            <translation>删除(&amp;R)…</translation>
        </message>
        <message>
            <source>&amp;History…</source>
            <translation>历史(&amp;H)…</translation>
        </message>
        <message>
            <source>An exact path, or a prefix ending in /* such as /v1/images/*</source>
            <translation>精确路径，或以 /* 结尾的前缀，例如 /v1/images/*</translation>
        </message>
        <message>
            <source>Sending…</source>
            <translation>正在发送…</translation>
        </message>
        <message>
            <source>Remove limit</source>
            <translation>删除限额</translation>
        </message>
        <message>
            <source>Remove the limit for %1? Requests to it fall back to the default limit.</source>
            <translation>删除 %1 的限额？发往该端点的请求将使用默认限额。</translation>
        </message>
        <message>
            <source>The service rejected this limit.</source>
            <translation>服务拒绝了此限额。</translation>
        </message>
        <message>
            <source>API &amp;key id:</source>
            <translation>API 密钥 ID(&amp;K)：</translation>
        </message>
        <message>
            <source>API-key limit</source>
            <translation>API 密钥限额</translation>
        </message>
        <message>
            <source>default for every API key without its own limit, or one key's id (16 hex digits, as the key table and the violations show it)</source>
            <translation>default 表示所有没有单独限额的 API 密钥，或填写某个密钥的 ID（16 位十六进制数字，与键表和违规列表中显示的相同）</translation>
        </message>
        <message>
            <source>Remove the API-key default? API-key clients without their own limit fall back to the default limit.</source>
            <translation>移除 API 密钥默认限额？没有单独限额的 API 密钥客户端将回退到默认限额。</translation>
        </message>
        <message>
            <source>Remove the limit for API key %1? Its client falls back to the API-key default.</source>
            <translation>移除 API 密钥 %1 的限额？其客户端将回退到 API 密钥默认限额。</translation>
        </message>
    </context>
    <context>
        <name>LimitsModel</name>
        <message>
            <source>Sliding log (exact)</source>
            <translation>滑动日志（精确）</translation>
        </message>
        <message>
            <source>Sliding window counter</source>
            <translation>滑动窗口计数器</translation>
        </message>
        <message>
            <source>Token bucket</source>
            <translation>令牌桶</translation>
        </message>
        <message>
            <source>Default</source>
            <translation>默认</translation>
        </message>
        <message>
            <source>any</source>
            <translation>任意</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>生效中</translation>
        </message>
        <message>
            <source>Saving…</source>
            <translation>正在保存…</translation>
        </message>
        <message>
            <source>Rejected: %1</source>
            <translation>已拒绝：%1</translation>
        </message>
        <message>
            <source>Endpoint</source>
            <translation>端点</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>方法</translation>
        </message>
        <message>
            <source>Requests</source>
            <translation>请求数</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>窗口</translation>
        </message>
        <message>
            <source>Algorithm</source>
            <translation>算法</translation>
        </message>
        <message>
            <source>Burst</source>
            <translation>突发</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>default (all API keys)</source>
            <translation>default（所有 API 密钥）</translation>
        </message>
        <message>
            <source>API key</source>
            <translation>API 密钥</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Cleared %1</source>
            <translation>已清除 %1</translation>
        </message>
        <message>
            <source>About Sluice Console</source>
            <translation>关于 Sluice 控制台</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Sluice Console %1&lt;/h3&gt;&lt;p&gt;Live view and control of the Sluice rate limiter through its admin API.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Sluice 控制台 %1&lt;/h3&gt;&lt;p&gt;通过管理 API 实时查看并控制 Sluice 限流器。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Sluice Console</source>
            <translation>Sluice 控制台</translation>
        </message>
        <message>
            <source>%1 — Sluice Console</source>
            <translation>%1 — Sluice 控制台</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>Main toolbar</source>
            <translation>主工具栏</translation>
        </message>
        <message>
            <source>&amp;Connect…</source>
            <translation>连接(&amp;C)…</translation>
        </message>
        <message>
            <source>Connect to a Sluice service</source>
            <translation>连接到 Sluice 服务</translation>
        </message>
        <message>
            <source>Use &amp;embedded service</source>
            <translation>使用内嵌服务(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Refresh now</source>
            <translation>立即刷新(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Resume updates</source>
            <translation>继续更新(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Pause updates</source>
            <translation>暂停更新(&amp;P)</translation>
        </message>
        <message>
            <source>C&amp;lear key…</source>
            <translation>清除键(&amp;L)…</translation>
        </message>
        <message>
            <source>Reset the selected key's counter in the service</source>
            <translation>在服务中重置所选键的计数</translation>
        </message>
        <message>
            <source>&amp;Copy key</source>
            <translation>复制键(&amp;C)</translation>
        </message>
        <message>
            <source>Configuration &amp;history…</source>
            <translation>配置历史(&amp;H)…</translation>
        </message>
        <message>
            <source>&amp;About Sluice Console</source>
            <translation>关于 Sluice 控制台(&amp;A)</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>系统语言</translation>
        </message>
        <message>
            <source>  Refresh every </source>
            <translation>  刷新间隔 </translation>
        </message>
        <message>
            <source> s</source>
            <translation> 秒</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>仪表盘</translation>
        </message>
        <message>
            <source>Limits</source>
            <translation>限额</translation>
        </message>
        <message>
            <source>Deployment</source>
            <translation>部署</translation>
        </message>
        <message>
            <source>Events</source>
            <translation>事件</translation>
        </message>
        <message>
            <source>Requests</source>
            <translation>请求数</translation>
        </message>
        <message>
            <source>Blocked</source>
            <translation>已拦截</translation>
        </message>
        <message>
            <source>Block rate</source>
            <translation>拦截率</translation>
        </message>
        <message>
            <source>Allowed / s</source>
            <translation>放行 / 秒</translation>
        </message>
        <message>
            <source>Blocked / s</source>
            <translation>拦截 / 秒</translation>
        </message>
        <message>
            <source>Decision p50</source>
            <translation>判定耗时 p50</translation>
        </message>
        <message>
            <source>Tracked keys</source>
            <translation>跟踪的键</translation>
        </message>
        <message>
            <source>Store</source>
            <translation>存储</translation>
        </message>
        <message>
            <source>Traffic, last 5 minutes</source>
            <translation>流量（最近 5 分钟）</translation>
        </message>
        <message>
            <source>Top keys by usage</source>
            <translation>使用率最高的键</translation>
        </message>
        <message>
            <source>Filter keys, clients, endpoints…</source>
            <translation>筛选键、客户端、端点…</translation>
        </message>
        <message>
            <source>Clear key…</source>
            <translation>清除键…</translation>
        </message>
        <message>
            <source>Redis</source>
            <translation>Redis</translation>
        </message>
        <message>
            <source>Enabled:</source>
            <translation>已启用：</translation>
        </message>
        <message>
            <source>Connection:</source>
            <translation>连接：</translation>
        </message>
        <message>
            <source>Mode:</source>
            <translation>模式：</translation>
        </message>
        <message>
            <source>Address:</source>
            <translation>地址：</translation>
        </message>
        <message>
            <source>Database:</source>
            <translation>数据库：</translation>
        </message>
        <message>
            <source>Pool size:</source>
            <translation>连接池大小：</translation>
        </message>
        <message>
            <source>Errors:</source>
            <translation>错误数：</translation>
        </message>
        <message>
            <source>Last error:</source>
            <translation>最近错误：</translation>
        </message>
        <message>
            <source>Live instances</source>
            <translation>在线实例</translation>
        </message>
        <message>
            <source>Instance</source>
            <translation>实例</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <source>Mode</source>
            <translation>模式</translation>
        </message>
        <message>
            <source>Last seen</source>
            <translation>最后在线</translation>
        </message>
        <message>
            <source>embedded service</source>
            <translation>内嵌服务</translation>
        </message>
        <message>
            <source>Clear key</source>
            <translation>清除键</translation>
        </message>
        <message>
            <source>Reset the counter of %1? Its client gets its full quota back at once.</source>
            <translation>重置 %1 的计数？其客户端将立即恢复全部配额。</translation>
        </message>
        <message>
            <source>since start</source>
            <translation>自启动以来</translation>
        </message>
        <message>
            <source>HTTP 429 answers</source>
            <translation>HTTP 429 响应</translation>
        </message>
        <message>
            <source>of all requests</source>
            <translation>占全部请求</translation>
        </message>
        <message>
            <source>requests per second</source>
            <translation>每秒请求数</translation>
        </message>
        <message>
            <source>%1 µs</source>
            <translation>%1 微秒</translation>
        </message>
        <message>
            <source>p99 %1 µs</source>
            <translation>p99 %1 微秒</translation>
        </message>
        <message>
            <source>showing top %1</source>
            <translation>显示前 %1 个</translation>
        </message>
        <message>
            <source>Updated %1</source>
            <translation>更新于 %1</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>内存</translation>
        </message>
        <message>
            <source>Redis not configured</source>
            <translation>未配置 Redis</translation>
        </message>
        <message>
            <source>Fallback</source>
            <translation>降级</translation>
        </message>
        <message>
            <source>Redis down: memory</source>
            <translation>Redis 宕机：内存模式</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <source>not configured</source>
            <translation>未配置</translation>
        </message>
        <message>
            <source>connected</source>
            <translation>已连接</translation>
        </message>
        <message>
            <source>down, falling back to memory</source>
            <translation>宕机，已降级为内存模式</translation>
        </message>
        <message>
            <source>%1 · %2</source>
            <translation>%1 · %2</translation>
        </message>
        <message>
            <source>Tracked keys</source>
            <comment>short caption of a figure tile</comment>
            <translation>跟踪的键</translation>
        </message>
        <message>
            <source>Instances sharing a Redis deployment appear here; this service decides on its own.</source>
            <translation>共享同一 Redis 部署的实例将显示在这里；当前服务独立判定。</translation>
        </message>
        <message numerus="yes">
            <source>%n instance(s) share this deployment.</source>
            <translation>
                <numerusform>%n 个实例共享此部署。</numerusform>
            </translation>
        </message>
        <message>
            <source>Violations</source>
            <translation>违规</translation>
        </message>
        <message>
            <source>Endpoints</source>
            <translation>端点</translation>
        </message>
        <message>
            <source>API keys</source>
            <translation>API 密钥</translation>
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <source>Sluice Console</source>
            <translation>Sluice 控制台</translation>
        </message>
        <message>
            <source>The embedded service did not start:
%1</source>
            <translation>内嵌服务未能启动：
%1</translation>
        </message>
    </context>
    <context>
        <name>RedisHealthView</name>
        <message>
            <source>Redis health</source>
            <translation>Redis 健康状况</translation>
        </message>
        <message>
            <source>Latency:</source>
            <translation>延迟：</translation>
        </message>
        <message>
            <source>Memory:</source>
            <translation>内存：</translation>
        </message>
        <message>
            <source>Eviction policy:</source>
            <translation>淘汰策略：</translation>
        </message>
        <message>
            <source>Role:</source>
            <translation>角色：</translation>
        </message>
        <message>
            <source>Pool:</source>
            <translation>连接池：</translation>
        </message>
        <message>
            <source>Sampled:</source>
            <translation>采样：</translation>
        </message>
        <message>
            <source>%1 ms (average %2, max %3)</source>
            <translation>%1 毫秒（平均 %2，最大 %3）</translation>
        </message>
        <message>
            <source>%1 of %2 (%3 %)</source>
            <translation>%1 / %2（%3 %）</translation>
        </message>
        <message>
            <source>%1, no maxmemory</source>
            <translation>%1，未设置 maxmemory</translation>
        </message>
        <message>
            <source>%1: can evict rate-limit keys, which resets their limits</source>
            <translation>%1：可能淘汰限流键，从而重置其限额</translation>
        </message>
        <message>
            <source>%1, %2 keys evicted</source>
            <translation>%1，已淘汰 %2 个键</translation>
        </message>
        <message>
            <source>replica, link to the master up</source>
            <translation>副本，与主节点的连接正常</translation>
        </message>
        <message>
            <source>replica, link to the master down</source>
            <translation>副本，与主节点的连接已断开</translation>
        </message>
        <message numerus="yes">
            <source>%1, %n replica(s)</source>
            <translation>
                <numerusform>%1，%n 个副本</numerusform>
            </translation>
        </message>
        <message>
            <source>lag %1 s</source>
            <translation>延迟 %1 秒</translation>
        </message>
        <message>
            <source>(%1 behind)</source>
            <translation>（落后 %1）</translation>
        </message>
        <message>
            <source>%1 of %2 connections ready; in flight: %3, peak %4</source>
            <translation>%2 个连接中 %1 个就绪；进行中：%3，峰值 %4</translation>
        </message>
        <message>
            <source>Redis not configured</source>
            <translation>未配置 Redis</translation>
        </message>
        <message>
            <source>no sample yet</source>
            <translation>尚无采样</translation>
        </message>
        <message>
            <source>%1 s ago, Redis %2</source>
            <translation>%1 秒前，Redis %2</translation>
        </message>
    </context>
    <context>
        <name>TrafficChartView</name>
        <message>
            <source>Allowed/s</source>
            <translation>放行/秒</translation>
        </message>
        <message>
            <source>Blocked/s</source>
            <translation>拦截/秒</translation>
        </message>
        <message>
            <source>requests / s</source>
            <translation>请求 / 秒</translation>
        </message>
        <message>
            <source>%1  allowed %2/s  blocked %3/s</source>
            <translation>%1  放行 %2/秒  拦截 %3/秒</translation>
        </message>
    </context>
    <context>
        <name>ViolationsModel</name>
        <message>
            <source>default limit</source>
            <translation>默认限额</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 分 %2 秒</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>客户端</translation>
        </message>
        <message>
            <source>Rule</source>
            <translation>规则</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>键</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>限额</translation>
        </message>
        <message>
            <source>Retry after</source>
            <translation>重试等待</translation>
        </message>
        <message>
            <source>API-key default</source>
            <translation>API 密钥默认限额</translation>
        </message>
        <message>
            <source>API-key override</source>
            <translation>API 密钥单独限额</translation>
        </message>
    </context>
    <context>
        <name>ViolationsPage</name>
        <message>
            <source>Violations</source>
            <translation>违规</translation>
        </message>
        <message>
            <source>Requests the service rejected with HTTP 429 since it started.</source>
            <translation>服务自启动以来以 HTTP 429 拒绝的请求。</translation>
        </message>
        <message>
            <source>Untrusted forwarded header</source>
            <translation>不受信任的转发头</translation>
        </message>
        <message>
            <source>API-key cycling</source>
            <translation>轮换 API 密钥</translation>
        </message>
        <message>
            <source>Malformed identity</source>
            <translation>身份头格式错误</translation>
        </message>
        <message>
            <source>Requests with X-Forwarded-For, X-Real-IP or X-Forwarded-Uri from a peer that is not in TRUSTED_PROXIES: the service ignores the header and limits the peer's own address.</source>
            <translation>来自不在 TRUSTED_PROXIES 中的对端、带有 X-Forwarded-For、X-Real-IP 或 X-Forwarded-Uri 的请求：服务忽略该头，并按对端自身地址限流。</translation>
        </message>
        <message>
            <source>Further distinct API keys from one address within a minute after its first five: a client rotating keys to get a fresh quota each time.</source>
            <translation>同一地址在一分钟内、前五个之后使用的更多不同 API 密钥：客户端轮换密钥，以便每次获得新的配额。</translation>
        </message>
        <message>
            <source>Requests whose X-API-Key or Authorization header was empty, too long, held control characters or was no Bearer token, so it cannot identify a client.</source>
            <translation>X-API-Key 或 Authorization 头为空、过长、含控制字符或不是 Bearer 令牌的请求，因而无法识别客户端。</translation>
        </message>
        <message>
            <source>Recent violations</source>
            <translation>最近的违规</translation>
        </message>
        <message>
            <source>Filter clients, rules, keys…</source>
            <translation>筛选客户端、规则、键…</translation>
        </message>
        <message>
            <source>since start</source>
            <translation>自启动以来</translation>
        </message>
        <message>
            <source>+%1 at %2</source>
            <translation>%2 时 +%1</translation>
        </message>
        <message>
            <source>Newest %1 of %2 violations since the service started.</source>
            <translation>服务启动以来共 %2 次违规，显示最新的 %1 次。</translation>
        </message>
        <message numerus="yes">
            <source>%n arrived faster than the console refreshes and are not listed.</source>
            <translation>
                <numerusform>有 %n 次违规到达速度快于控制台刷新，未列出。</numerusform>
            </translation>
        </message>
    </context>
</TS>
