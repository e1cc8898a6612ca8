/**
 * The contract between the operator and the trainer: the run config a pod receives, the task it is
 * given through its environment, the object-store layout both sides read and write, the progress
 * report a trainer publishes, and the exit codes it ends with. Both sides import these classes;
 * neither side may hard-code a key, file name or code that is defined here. See crds/CONTRACT.md
 * for the prose version.
 */
package dev.archipelago.api.contract;
