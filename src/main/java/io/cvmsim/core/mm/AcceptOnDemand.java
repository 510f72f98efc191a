package io.cvmsim.core.mm;

/**
 * Where and how much {@code get_page_from_freelist()} accepts of a zone's parked chunks. Each hook
 * returns whether it accepted anything (then the caller goes straight to rmqueue).
 */
interface AcceptOnDemand {

  /** A kernel without unaccepted memory support: never accepts (nothing is ever parked). */
  AcceptOnDemand NONE =
      new AcceptOnDemand() {
        @Override
        public boolean beforeWatermarkCheck(ParkedZone zone, int order, int allocFlags) {
          return false;
        }

        @Override
        public boolean afterFailedWatermark(ParkedZone zone, int order, int allocFlags) {
          return false;
        }

        @Override
        public boolean afterFailedRmqueue(ParkedZone zone, int order, int allocFlags) {
          return false;
        }
      };

  /** Called for every zone visited, before any watermark check. */
  boolean beforeWatermarkCheck(ParkedZone zone, int order, int allocFlags);

  /** Called when the zone failed its watermark check. */
  boolean afterFailedWatermark(ParkedZone zone, int order, int allocFlags);

  /** Called when rmqueue found nothing in a zone that passed its watermark check. */
  boolean afterFailedRmqueue(ParkedZone zone, int order, int allocFlags);
}
