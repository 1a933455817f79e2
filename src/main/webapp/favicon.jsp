<%@ page contentType="image/svg+xml; charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true"
%><%-- Browsers ask for /favicon.ico by themselves (e.g. when a dataset image is opened on its own): answer with the
     icon instead of a 404 that would show as an error in the console. --%><%@ include file="favicon.svg" %>
