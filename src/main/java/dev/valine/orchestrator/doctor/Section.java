package dev.valine.orchestrator.doctor;

import java.util.List;

/** A group of checks that run one after another, because later ones need what earlier ones found. */
interface Section {
  /** What the section checks, for the line that says it did not finish in time. */
  String title();

  List<Check> run() throws InterruptedException;
}
