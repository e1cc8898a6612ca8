package dev.archipelago.testcluster;

/** The namespace created for the current test and deleted after it. */
public record TestNamespace(String name) {}
