<%@ page contentType="text/html; charset=UTF-8" pageEncoding="UTF-8" session="false"
    import="com.imageretrieval.web.EngineService, com.imageretrieval.engine.EngineStatus,
            com.imageretrieval.web.errors.PublicText,
            com.imageretrieval.index.BuildResult, java.util.Optional, javax.naming.InitialContext" %><%!
    /** HTML-escapes a server value (messages may name paths). */
    static String h(Object o) {
        if (o == null) {
            return "\u2014";
        }
        return o.toString().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
%><%
    // Server-rendered from the engine through the EJB (portable JNDI name of the no-interface view), so the figures
    // are there without JavaScript; the reindex button below is the only part that needs the API.
    EngineStatus status = null;
    Optional<BuildResult> last = Optional.empty();
    String lookupError = null;
    String message = null;
    try {
        EngineService service = (EngineService) new InitialContext().lookup("java:module/EngineService");
        status = service.engine().status();
        last = service.engine().lastBuild();
        // This page is public (only the rebuild and the failed files need the token): no paths, no library text.
        message = PublicText.redact(status.message(), service.config());
    } catch (Exception e) {
        application.log("admin.jsp: the engine is not available", e);
        lookupError = "the engine is not available (details in the server log)";
    }
    response.setHeader("Cache-Control", "no-store");
%><!DOCTYPE html>
<html lang="en">
<head>
<%@ include file="/WEB-INF/layout/head.jspf" %>
  <meta name="ir-title" content="admin.title">
  <title>Administration</title>
</head>
<body data-page="admin">
<%@ include file="/WEB-INF/layout/top.jspf" %>

  <main id="main">
    <section class="intro">
      <h1 data-i18n="admin.title">Administration</h1>
      <p data-i18n="admin.intro">Statistics of the last index build, and a rebuild on demand.</p>
    </section>

    <section class="panel" aria-labelledby="last-title">
      <h2 id="last-title" data-i18n="admin.lastBuild">Last build</h2>
<% if (lookupError != null) { %>
      <p class="status error" id="engine-error"><%= h(lookupError) %></p>
<% } else { %>
      <dl class="admin-grid" id="engine-state">
        <div><dt data-i18n="admin.status">State</dt><dd id="state"><%= h(status.state()) %><%
            if (message != null && !message.isEmpty()) { %> — <%= h(message) %><% } %></dd></div>
        <div><dt data-i18n="admin.images">Images in the index</dt><dd id="images"><%= status.images() %></dd></div>
      </dl>
<%   if (last.isPresent()) { BuildResult b = last.get(); %>
      <dl class="admin-grid" id="last-build">
        <div><dt data-i18n="admin.total">Files scanned</dt><dd data-field="total"><%= b.total() %></dd></div>
        <div><dt data-i18n="admin.embedded">Embedded</dt><dd data-field="embedded"><%= b.embedded() %></dd></div>
        <div><dt data-i18n="admin.reused">Reused</dt><dd data-field="reused"><%= b.reused() %></dd></div>
        <div><dt data-i18n="admin.removed">Removed</dt><dd data-field="removed"><%= b.removed() %></dd></div>
        <div><dt data-i18n="admin.failed">Failed</dt><dd data-field="failed"><%= b.failed() %></dd></div>
        <div><dt data-i18n="admin.millis">Duration (ms)</dt><dd data-field="millis"><%= b.millis() %></dd></div>
        <div><dt data-i18n="admin.rate">Images per second</dt><dd data-field="imagesPerSecond"><%=
            String.format(java.util.Locale.ROOT, "%.1f", b.imagesPerSecond()) %></dd></div>
        <div><dt data-i18n="admin.finishedAt">Finished at</dt><dd data-field="finishedAt"
            data-iso="<%= h(b.finishedAt()) %>"><%= h(b.finishedAt()) %></dd></div>
      </dl>
<%     if (b.failed() > 0) { %>
      <div id="failures-panel" data-failed="<%= b.failed() %>">
        <p class="hint" data-i18n="admin.failuresHint">The failed files and their reasons are shown to the administrator: enter the admin token below.</p>
        <button type="button" id="failures-button" data-i18n="admin.showFailures">Show the failed files</button>
        <p id="failures-status" class="status" role="status" aria-live="polite"></p>
        <ul id="failures" class="failures" hidden></ul>
      </div>
<%     } %>
<%   } else { %>
      <p id="no-build" class="muted" data-i18n="admin.noBuild">No build has finished since the server started.</p>
<%   } %>
<% } %>
    </section>

    <section class="panel" aria-labelledby="reindex-title">
      <h2 id="reindex-title" data-i18n="admin.reindex">Rebuild the index</h2>
      <form id="reindex" class="token-form" autocomplete="off">
        <label><span data-i18n="admin.token">Admin token</span>
          <input type="password" id="token" name="token" autocomplete="off" aria-describedby="token-hint"></label>
        <button type="submit" id="reindex-button" data-i18n="admin.start">Start the rebuild</button>
      </form>
      <p id="token-hint" class="hint" data-i18n="admin.tokenHint">The ADMIN_TOKEN of the server; sent as a Bearer token, never stored.</p>
      <p id="admin-status" class="status" role="status" aria-live="polite"></p>
    </section>
  </main>

  <script src="i18n/en.js"></script>
  <script src="i18n/zh.js"></script>
  <script src="js/common.js"></script>
  <script src="js/admin.js"></script>
</body>
</html>
