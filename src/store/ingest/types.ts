export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface IngestResult extends BatchCounts {
  /** Our ids of the posts in the batch, in record order. */
  ids: string[];
}
